"""factionmap.api"""
