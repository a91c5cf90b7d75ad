"""The debate page: two sides, rebuttals under what they answer, and the balance.

Each argument is rendered with its own citation numbering and reference list
(ids prefixed by `citation_prefix`), so that a reader can judge one argument
and its evidence on its own. The board is laid out in rows: every side keeps
its order in its own column, and a rebuttal sits in its column at least one row
below the argument it answers, so an exchange reads downwards across columns.
"""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from articles.citations import CitationState, Reference, find_citation_keys
from articles.models import Argument, Rating, Source
from articles.rendering import render_markdown

SIDES = (Argument.Side.SUPPORTER, Argument.Side.CRITIC)


def citation_prefix(argument: Argument) -> str:
    """The id prefix of one argument's citations and references on the debate page."""
    return f"arg-{argument.slug}-"


def known_keys_cited(argument: Argument, known: set[str]) -> set[str]:
    """The keys of existing sources (`known`) this argument cites."""
    return {key for key in find_citation_keys(argument.body) if key in known}


@dataclass
class Card:
    """One argument as the debate page shows it."""

    argument: Argument
    html: SafeString
    references: list[Reference]
    missing: list[str]
    answers: Argument | None = None  # the argument this one rebuts
    answered_by: list[Argument] = field(default_factory=list)


@dataclass
class Board:
    """The two columns, one entry per row; None leaves that side of a row empty."""

    supporters: list[Card | None]
    critics: list[Card | None]


def board_rows(arguments: list[Argument]) -> dict[int, int]:
    """The row of each argument (by pk): its side's order, below the one it rebuts.

    Arguments are taken by position; a rebuttal of an argument not placed yet
    waits for it. A cycle of rebuttals (A answers B, B answers A) is broken by
    placing the first waiting argument as if it answered nothing.
    """
    ids = {argument.pk for argument in arguments}
    rows: dict[int, int] = {}
    next_row = dict.fromkeys(SIDES, 0)
    pending = sorted(arguments, key=lambda a: (a.position, a.pk))
    while pending:
        waiting = []
        for argument in pending:
            target = argument.responds_to_id
            if target in ids and target != argument.pk and target not in rows:
                waiting.append(argument)
                continue
            row = next_row[argument.side]
            if target in rows:
                row = max(row, rows[target] + 1)
            rows[argument.pk] = row
            next_row[argument.side] = row + 1
        if len(waiting) == len(pending):
            first = waiting.pop(0)
            rows[first.pk] = next_row[first.side]
            next_row[first.side] += 1
        pending = waiting
    return rows


def build_board(cards: list[Card]) -> Board:
    rows = board_rows([card.argument for card in cards])
    size = max(rows.values(), default=-1) + 1
    columns = {side: [None] * size for side in SIDES}
    for card in cards:
        columns[card.argument.side][rows[card.argument.pk]] = card
    return Board(columns[Argument.Side.SUPPORTER], columns[Argument.Side.CRITIC])


def render_cards(
    arguments: list[Argument], sources: dict[str, Source], ratings: dict | None = None
) -> list[Card]:
    """Every argument rendered with its own numbering, linked to its rebuttals;
    `ratings` are the sources' reliability ratings, by key."""
    by_pk = {argument.pk: argument for argument in arguments}
    cards = []
    for argument in arguments:
        citations = CitationState(sources, ratings or {}, prefix=citation_prefix(argument))
        # Under the card's h3 summary.
        html = render_markdown(argument.body, citations, doc_id=f"arg-{argument.slug}", level=3)
        answers = by_pk.get(argument.responds_to_id)
        cards.append(Card(argument, html, citations.reference_list(), citations.missing, answers))
    card_of = {card.argument.pk: card for card in cards}
    for card in cards:
        if card.answers is not None:
            card_of[card.answers.pk].answered_by.append(card.argument)
    return cards


@dataclass
class SideBalance:
    side: str
    label: str
    arguments: int
    sources: int  # distinct sources of the library cited by this side
    unsourced: list[Argument]  # arguments of this side citing no known source


@dataclass
class Balance:
    supporter: SideBalance
    critic: SideBalance

    @property
    def sides(self) -> tuple[SideBalance, SideBalance]:
        return self.supporter, self.critic

    @property
    def arguments_bar(self) -> tuple[float, float]:
        return bar_widths(self.supporter.arguments, self.critic.arguments)

    @property
    def sources_bar(self) -> tuple[float, float]:
        return bar_widths(self.supporter.sources, self.critic.sources)

    @property
    def sides_without_sources(self) -> list[SideBalance]:
        return [side for side in self.sides if not side.sources]

    @property
    def unsourced(self) -> list[Argument]:
        return self.supporter.unsourced + self.critic.unsourced

    @property
    def has_warnings(self) -> bool:
        return bool(self.sides_without_sources or self.unsourced)


def bar_widths(supporter: int, critic: int) -> tuple[float, float]:
    """Shares of a 100-unit bar, rounded to one decimal; an empty bar when both are 0."""
    total = supporter + critic
    if not total:
        return 0.0, 0.0
    left = round(100 * supporter / total, 1)
    return left, round(100 - left, 1)


def debate_balance(arguments: list[Argument], known: set[str]) -> Balance:
    """Arguments and distinct sources per side; `known` are the keys of existing sources."""
    sides = []
    for side in SIDES:
        own = [argument for argument in arguments if argument.side == side]
        keys = [known_keys_cited(argument, known) for argument in own]
        sides.append(
            SideBalance(
                side=side,
                label=Argument.Side(side).label + "s",
                arguments=len(own),
                sources=len(set().union(*keys)),
                unsourced=[arg for arg, cited in zip(own, keys, strict=True) if not cited],
            )
        )
    return Balance(*sides)


@dataclass
class DebatePage:
    board: Board
    cards: list[Card]
    balance: Balance


def debate_page(arguments: list[Argument]) -> DebatePage:
    """Everything the debate page shows, with one query for the cited sources."""
    sources = Source.objects.by_key(
        key for argument in arguments for key in find_citation_keys(argument.body)
    )
    cards = render_cards(arguments, sources, Rating.objects.for_sources(sources.values()))
    return DebatePage(build_board(cards), cards, debate_balance(arguments, set(sources)))
