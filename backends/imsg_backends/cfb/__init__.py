"""The compound-file (MS-CFB) engine that the ``ole`` and ``remote`` backends share.

Modules, bottom up:

* :mod:`.ranges` — ``(offset, length)`` helpers: check, merge, slice;
* :mod:`.sources` — the :class:`~.sources.ByteSource` protocol (the reader's only I/O) and
  the local sources :class:`~.sources.FileSource`, :class:`~.sources.BytesSource`,
  :class:`~.sources.SeekableSource`;
* :mod:`.caching` — :class:`~.caching.CachingSource`, the base of sources whose requests are
  expensive (a subclass supplies ``fetch``);
* :mod:`.header` — sector values, the header and directory-entry records, FILETIME;
* :mod:`.fat`, :mod:`.streams`, :mod:`.directory`, :mod:`.reader` — the layers of
  :class:`~.reader.CFBReader` (DIFAT/FAT and chains; stream chains and the mini stream; the
  directory tree; opening and the extension points);
* :mod:`.writer`, :mod:`.output` — :func:`~.writer.write_cfb`, the streaming writer, and
  what it writes to (``Output``, ``FdOutput``).

Extension points (documented where they are defined): a :class:`~.sources.ByteSource`
(``read_ranges``), :meth:`~.caching.CachingSource.fetch`, and the reader's public hooks
(``prefetch_header``, ``prefetch_metadata``, ``fat_window``, ``read_metadata``,
``load_mini_stream``, ``read_mini_spans``; see :class:`~.reader.CFBReader`). Nothing
outside this package uses a name of it that starts with an underscore (a test checks the
backends).

Import from the modules (``from imsg_backends.cfb.reader import CFBReader``): this package
imports none of them itself, so a backend that needs only the byte sources (the remote
backend at plugin load) does not load the reader and writer.
"""
