"""extract: one article's annotated text -> the events it reports (pure; parallelises)."""

from marsad.extract.pipeline import Extractor, extract_article, extract_many

__all__ = ["Extractor", "extract_article", "extract_many"]
