"""factionmap.resolve: actors across articles (``actors.ActorResolver``) and one
happening per real-world event (``happenings.same_happening``, ``link_event``)."""
