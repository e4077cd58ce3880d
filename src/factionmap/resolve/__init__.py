"""factionmap.resolve"""
