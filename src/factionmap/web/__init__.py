"""factionmap.web"""
