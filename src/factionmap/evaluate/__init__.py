"""factionmap.evaluate"""
