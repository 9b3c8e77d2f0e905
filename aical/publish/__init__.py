"""Events → published files: feeds (:mod:`.ics`), the year page (:mod:`.html`, laid out by
:mod:`.layout`), open data (:mod:`.opendata`), names and colours (:mod:`.naming`) and the
atomic build folder (:mod:`.site`). Nothing here reads Japanese text."""
