"""Places: the packaged gazetteer and the geoparser (SPEC section 4, "Places")."""

from rasd.places.gazetteer import Gazetteer, Place, load_gazetteer
from rasd.places.geoparse import PlaceMention, find_places

__all__ = ["Gazetteer", "Place", "PlaceMention", "find_places", "load_gazetteer"]
