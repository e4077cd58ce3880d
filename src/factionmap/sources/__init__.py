"""factionmap.sources"""
