"""Rows of the omissions table: the numbers that are not data.

Dates, labels, ordinals (第十四个五年), parts of names, and photo captions that repeat a
figure of the body each get an omission row, one row per quote however often it occurs,
so that every number of the text is claimed by some row and a reviewer sees why it was
left out.
"""

from __future__ import annotations

from jiutai_data.tools.draft.classify import ORDINAL, Role, chinese_ordinals
from jiutai_data.tools.draft.drafter import DrafterBase
from jiutai_data.tools.draft.drafts import OMISSIONS, Draft
from jiutai_data.tools.draft.mentions import Mention, inside


class Omissions(DrafterBase):
    """Omission rows, one per quote."""

    def _omission_row(self, kind: str, span: tuple[int, int], why: str, claims: list[tuple[int, int]]) -> None:
        quote = self.text[span[0]:span[1]]
        if (draft := self.omission_rows.get((kind, quote))) is not None:
            # one omission covers every occurrence of its quote
            draft.claims += claims
            self.claimed.update(claims)
            if why not in draft.reasons:
                draft.reasons.append(why)
            return
        line = self.layout.line_index(span[0]) + 1
        confidence = 0.5 if why == "no unit follows the number" else 0.85
        self.omission_rows[(kind, quote)] = self._add(Draft(OMISSIONS, {"kind": kind, "quote": quote}, confidence,
                                                            [why], claims, slug=f"{kind}-line-{line}"))

    def _omission(self, mention: Mention, role: Role) -> None:
        span = self.layout.clause_of(mention.start)
        quoted = inside(self.quoted, mention.start, mention.end)
        if quoted and not (span[0] <= quoted[0] and quoted[1] <= span[1]):
            span = quoted
        self._omission_row(role.kind, span, role.why, [(mention.start, mention.end)])

    def _ordinals(self) -> None:
        for match in chinese_ordinals(self.text):
            if inside(self.quoted, match.start(), match.end()):
                continue
            if self.text[match.start() - 2:match.start()] == "党的":
                quote = (match.start() - 2, match.end())
            else:
                quote = self.layout.clause_of(match.start())
            self._omission_row(ORDINAL, quote, f"{match.group()}: an ordinal", [])

    def _caption_repeats(self, roles: list[Role]) -> dict[int, str]:
        """Figures of photo captions that the body states again: omissions (repeated)."""
        body = {}
        for mention, role in zip(self.mentions, roles):
            if role.kind == "quantity" and not self.contexts[self.layout.line_index(mention.start)].caption:
                body.setdefault((mention.stated, mention.unit), mention)
        repeats = {}
        for index, (mention, role) in enumerate(zip(self.mentions, roles)):
            if role.kind == "quantity" and self.contexts[self.layout.line_index(mention.start)].caption:
                if (mention.stated, mention.unit) in body:
                    line = self.layout.line_index(body[(mention.stated, mention.unit)].start) + 1
                    repeats[index] = f"a photo caption repeating {mention.stated}{mention.unit} of line {line}"
        return repeats
