"""`jiutai-data draft`: a registered source text becomes reviewable draft rows.

The stages, one module each: ``package`` (what the package knows: units, regions,
topics, the indicator catalogue, the tables' columns), ``clauses`` (sentences,
clauses, headings, table lines), ``tables`` (tables written as text: each cell's row, column header and unit),
``mentions`` (every number in the text, with its unit),
``classify`` (dates, labels, ordinals, names, thresholds: the numbers that are not data),
``context`` (the year and part of it a line is about, looking back or ahead, captions),
``names`` (a figure's name from the words before it), ``qualifiers`` (qualifier, measure,
status), ``period``, ``catalogue`` (indicators, regions and topics the package knows),
``days`` (the day a stock is counted on, a year earlier), ``compared`` (what a change
is compared with), ``drafts`` (the draft row and the tables' names), then the rows, one
kind each, parts of one drafter (``drafter``: the state they share): ``omissions``,
``codes`` (names, indicator codes, proposed units), ``plans`` (named plans, targets,
projects), ``structures`` (a:b:c shares), ``table_figures``, ``figures`` (a figure of
prose), ``ranges``, ``thresholds``; ``rows`` runs them in order (one row per figure, plan,
project or omission), ``run`` (the verb: read, draft, write). ``score`` compares drafts
with reviewed rows, for the benchmark and its test.

Hand-written rules rather than a segmenter such as jieba: a figure's name, unit and
qualifier are found from the punctuation around the number, the units table and a few
dozen fixed words (同比, 余, 预计, 力争 …). Word segmentation does not say where a figure's
name starts or which unit it has (jieba cuts 人均可支配收入 into 人均 / 可 / 支配 / 收入),
and importing and initialising jieba took 6 to 8 s on the 2-core development machine,
against a budget of 2 s for a long text (measured once; jieba is not a dependency).
Numerals are read by ``model.numbers`` (see there why not cn2an).
"""

from jiutai_data.tools.draft.run import DraftError, DraftResult, draft_source

__all__ = ["DraftError", "DraftResult", "draft_source"]
