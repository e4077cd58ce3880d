"""factionmap.extract"""
