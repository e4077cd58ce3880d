"""factionmap.store"""
