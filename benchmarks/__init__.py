"""imsg-core benchmark suite: every performance target measured against the peers, in one run.

Run ``python -m benchmarks`` (``--quick`` for a CI smoke run, ``--cases`` to select,
``--out results.json``). Every figure is a ratio of peer time to our time measured in the
same run, ours and the peers interleaved, with medians and min-max spreads; absolute times
are shown but never asserted. Each case checks that ours and the peer did the same work
(same counts of streams, bytes, properties, recipients, attachments) before it reports a
ratio; a peer failing on an input is listed separately.

Peers (dependency group ``bench``): olefile, extract-msg (GPL-3.0: imported here and in
tests only, never by the library), aspose-email-foss, psutil.
"""
