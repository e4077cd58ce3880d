"""factionmap.cli"""
