"""Who does a to-clause under an object-control verb: "assisted the government to destroy Y",
"urged Russia to stop bombing Y", "called on Iran to condemn Y". The verb's object does it,
not its subject. Shared by the clause patterns (who acts) and modality (only asked for)."""

from __future__ import annotations

from spacy.tokens import Token

from factionmap.extract.lexicon import DIRECTIVE_LEMMAS, ENABLING_LEMMAS
from factionmap.kb.agents import HEAD_SECTORS

# Verbs whose controller comes after a preposition, not as a direct object: "called on X
# to", "appealed to X to". ("Called him to tell him ..." is a phone call, so "call" takes no
# direct object here.)
_PREP_CONTROL = {"call": frozenset({"on", "upon", "for"}), "appeal": frozenset({"to"})}
_CONTROL_LEMMAS = ENABLING_LEMMAS | DIRECTIVE_LEMMAS | frozenset(_PREP_CONTROL)


def agent_like(tok: Token) -> bool:
    """A noun that can name who acts: a name, a pronoun, or a generic agent ("the government")."""
    return tok.pos_ in ("PROPN", "PRON") or tok.lower_ in HEAD_SECTORS or tok.ent_type_ in (
        "ORG", "GPE", "NORP", "PERSON")


def controller(clause: Token) -> Token | None:
    """The object that does ``clause``, an infinitive the parser hangs (as xcomp or advcl)
    on an object-control verb; None when the clause is not one."""
    if clause.dep_ not in ("xcomp", "advcl") or clause.tag_ != "VB":
        return None
    head = clause.head
    lemma = head.lemma_.lower()
    if lemma not in _CONTROL_LEMMAS:
        return None
    preps = _PREP_CONTROL.get(lemma)
    for child in head.children:
        if child.i > clause.i:
            continue
        # one urged to act is the doer whatever he is called ("urged our partners to ...")
        if preps is None and child.dep_ == "dobj" and (
                agent_like(child) or (lemma in DIRECTIVE_LEMMAS and child.pos_ == "NOUN")):
            return child
        if preps is not None and child.dep_ == "prep" and child.lower_ in preps:
            found = [c for c in child.children if c.dep_ == "pobj" and agent_like(c)]
            if found:
                return found[0]
    return None


def controlled_clause(verb: Token) -> Token | None:
    """The infinitive above or at ``verb`` whose doer is an object-control verb's object,
    climbing through conjuncts of the same form and nested to-clauses ("urged X to stop
    bombing Y" reaches "stop")."""
    node = verb
    for _ in range(4):
        if controller(node) is not None:
            return node
        # "having called on X to rejoin ... and vocally denounced Y": a conjunct of another
        # form is the parser joining it to the wrong verb
        if node.dep_ == "conj" and node.tag_ != node.head.tag_:
            return None
        if node.dep_ not in ("conj", "xcomp") or node.head.i == node.i:
            return None
        node = node.head
    return None


def asked_for(verb: Token) -> bool:
    """Whether ``verb``'s clause is only asked of someone ("urged X to attack Y"), so it has
    not happened yet."""
    clause = controlled_clause(verb)
    if clause is None:
        return False
    lemma = clause.head.lemma_.lower()
    return lemma in DIRECTIVE_LEMMAS or lemma in _PREP_CONTROL
