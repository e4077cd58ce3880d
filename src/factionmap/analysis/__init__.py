"""factionmap.analysis"""
