"""geomap: documented Iran–Venezuela cooperation, from sourced CSV records to an interactive map."""

__version__ = "0.1.0"
