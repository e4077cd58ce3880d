"""Analysis computed from the store: stance, blocs, shifts, network, briefs, corrections."""

from factionmap.analysis.blocs import Blocs, Membership, SignedEdge, partition_signed
from factionmap.analysis.briefs import Brief, BriefLine, actor_brief, dyad_brief
from factionmap.analysis.corrections import (
    CorrectionError,
    apply_correction,
    record_correction,
    replay_corrections,
)
from factionmap.analysis.network import Network, signed_network
from factionmap.analysis.shifts import Shift, detect_shifts
from factionmap.analysis.stance import StancePoint, dyad_stance

__all__ = [
    "Blocs", "Brief", "BriefLine", "CorrectionError", "Membership", "Network", "Shift",
    "SignedEdge", "StancePoint", "actor_brief", "apply_correction", "detect_shifts",
    "dyad_brief", "dyad_stance", "partition_signed", "record_correction",
    "replay_corrections", "signed_network",
]
