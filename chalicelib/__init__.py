"""Garanti: the electronic-warranty platform (runtime package, packaged by Chalice)."""
