"""Use cases. The only layer that commits (see ``unit.commit``); each public function is one use case."""
