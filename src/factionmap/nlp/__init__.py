"""factionmap.nlp"""
