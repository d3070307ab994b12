"""Is this the same person? Scoring pairs of customers and finding candidate pairs quickly.

Evidence, strongest first: the same email address, phone or device; then the name, compared
after normalisation and Russian↔Latin transliteration ("Иван Иванов" ≈ "Ivan Ivanov").
A name alone is weak when the rest disagrees: two real Ivan Ivanovs with different email
addresses stay below the threshold, so the review list is not flooded with namesakes.

Finding candidates among many customers never compares everyone with everyone: each customer
gets *blocking keys* (each email, phone, device, and a loose name skeleton) and only customers
sharing a key are scored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from desk_app.domain.fuzzy import similar
from desk_app.domain.transliteration import name_key, name_skeleton

THRESHOLD = 0.6  # shown as a possible duplicate at or above this
STRONG = 0.9  # "almost certainly the same person"
MAX_BLOCK = 64  # blocks larger than this (a very common name) are not compared pairwise
SIMILAR_NAME = 0.85  # name keys at least this similar count as a similar name

# Names that say nothing about who wrote: store reviewers without a name, guests.
_GENERIC_NAME_WORDS = frozenset(
    {"user", "polzovatel", "gost", "guest", "anonim", "anonymous", "customer", "klient", "unknown"}
)


class Evidence(StrEnum):
    SAME_IDENTITY = "same_identity"
    SAME_EMAIL = "same_email"
    SAME_PHONE = "same_phone"
    SAME_DEVICE = "same_device"
    SAME_NAME = "same_name"
    SIMILAR_NAME = "similar_name"
    SAME_FIRST_NAME = "same_first_name"


class Conflict(StrEnum):
    DIFFERENT_EMAILS = "different_emails"
    DIFFERENT_PHONES = "different_phones"
    DIFFERENT_DEVICES = "different_devices"


# How much each piece of evidence alone says (combined as independent signals).
WEIGHTS: dict[Evidence, float] = {
    Evidence.SAME_IDENTITY: 1.0,
    Evidence.SAME_EMAIL: 0.95,
    Evidence.SAME_PHONE: 0.9,
    Evidence.SAME_DEVICE: 0.8,
    Evidence.SAME_NAME: 0.7,
    Evidence.SIMILAR_NAME: 0.6,
    Evidence.SAME_FIRST_NAME: 0.2,
}
# What a disagreement does to name evidence (multiplied in): it never cancels hard evidence.
CONFLICT_FACTORS: dict[Conflict, float] = {
    Conflict.DIFFERENT_EMAILS: 0.4,
    Conflict.DIFFERENT_PHONES: 0.4,
    Conflict.DIFFERENT_DEVICES: 0.7,
}
_HARD = frozenset(
    {Evidence.SAME_IDENTITY, Evidence.SAME_EMAIL, Evidence.SAME_PHONE, Evidence.SAME_DEVICE}
)

_GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
_NON_DIGIT = re.compile(r"\D")


def normalize_email(address: str) -> str | None:
    """Lower case, no "+tag"; Gmail ignores dots in the local part, so do we."""
    address = address.strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain:
        return None
    local = local.split("+", 1)[0]
    if domain in _GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def normalize_phone(number: str) -> str | None:
    """Digits in international form; Russian "8 (916) ..." and "916..." become "+7916..."."""
    digits = _NON_DIGIT.sub("", number)
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    elif len(digits) == 10 and digits.startswith("9"):
        digits = "7" + digits
    if not 10 <= len(digits) <= 15:
        return None
    return "+" + digits


def _normalized(values: Iterable[str], normalize: Callable[[str], str | None]) -> frozenset[str]:
    return frozenset(v for v in (normalize(x) for x in values if x) if v)


@dataclass(slots=True)
class CustomerFacts:
    """What duplicate detection knows about one customer, already normalised. Treat it as
    immutable; not ``frozen`` because a scan builds tens of thousands and a frozen dataclass
    costs about five times as much to construct."""

    id: str
    name_key: str
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    devices: frozenset[str] = frozenset()
    identities: frozenset[str] = frozenset()  # "channel:external_id"

    @classmethod
    def build(
        cls,
        id: str,
        name: str,
        *,
        emails: Iterable[str] = (),
        phones: Iterable[str] = (),
        devices: Iterable[str] = (),
        identities: Iterable[str] = (),
    ) -> CustomerFacts:
        return cls(
            id=id,
            name_key=usable_name_key(name),
            emails=_normalized(emails, normalize_email),
            phones=_normalized(phones, normalize_phone),
            devices=frozenset(d.strip().lower() for d in devices if d and d.strip()),
            identities=frozenset(identities),
        )


def usable_name_key(name: str) -> str:
    """The name key, or "" for names that identify nobody ("A Google user", "Гость")."""
    key = name_key(name) if "@" not in name else ""
    if not key or _GENERIC_NAME_WORDS.intersection(key.split()):
        return ""
    return key


@dataclass(frozen=True)
class PairScore:
    score: float
    evidence: tuple[Evidence, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    @property
    def is_candidate(self) -> bool:
        return self.score >= THRESHOLD


@dataclass(frozen=True)
class Candidate:
    """A possible duplicate pair (ids ordered) with why it was proposed."""

    a_id: str
    b_id: str
    score: float
    evidence: tuple[Evidence, ...]
    conflicts: tuple[Conflict, ...] = ()

    def other(self, customer_id: str) -> str:
        return self.b_id if customer_id == self.a_id else self.a_id


def _name_evidence(a: str, b: str) -> Evidence | None:
    if not a or not b:
        return None
    full = " " in a and " " in b
    if a == b:
        return Evidence.SAME_NAME if full else Evidence.SAME_FIRST_NAME
    if full and similar(a, b, SIMILAR_NAME):
        return Evidence.SIMILAR_NAME
    return None


def score_pair(a: CustomerFacts, b: CustomerFacts) -> PairScore:
    """How likely ``a`` and ``b`` are one person, with the evidence and the disagreements."""
    evidence: list[Evidence] = []
    conflicts: list[Conflict] = []
    checks = (
        (a.identities, b.identities, Evidence.SAME_IDENTITY, None),
        (a.emails, b.emails, Evidence.SAME_EMAIL, Conflict.DIFFERENT_EMAILS),
        (a.phones, b.phones, Evidence.SAME_PHONE, Conflict.DIFFERENT_PHONES),
        (a.devices, b.devices, Evidence.SAME_DEVICE, Conflict.DIFFERENT_DEVICES),
    )
    for mine, theirs, same, different in checks:
        if mine & theirs:
            evidence.append(same)
        elif mine and theirs and different is not None:
            conflicts.append(different)
    name = _name_evidence(a.name_key, b.name_key)
    hard_miss = 1.0
    for item in evidence:
        hard_miss *= 1.0 - WEIGHTS[item]
    name_weight = 0.0
    if name is not None:
        evidence.append(name)
        name_weight = WEIGHTS[name]
        for conflict in conflicts:
            name_weight *= CONFLICT_FACTORS[conflict]
    score = 1.0 - hard_miss * (1.0 - name_weight)
    return PairScore(round(score, 4), tuple(evidence), tuple(conflicts))


def blocking_keys(facts: CustomerFacts) -> set[str]:
    """Keys under which a customer is compared with others: only customers sharing one meet."""
    keys = {f"e:{e}" for e in facts.emails}
    keys.update(f"p:{p}" for p in facts.phones)
    keys.update(f"d:{d}" for d in facts.devices)
    keys.update(f"i:{i}" for i in facts.identities)
    if " " in facts.name_key:  # a lone first name is too common to block on
        keys.add(f"n:{name_skeleton(facts.name_key)}")
    return keys


_FIELD, _ITEM = "\x1f", "\x1e"
_EMPTY: frozenset[str] = frozenset()


def encode_facts(facts: CustomerFacts) -> str:
    """Everything scoring needs as one string (one index row per customer), so a scan
    rebuilds :class:`CustomerFacts` without reading customers or identities."""
    lists = (facts.emails, facts.phones, facts.devices, facts.identities)
    return _FIELD.join([facts.name_key, *(_ITEM.join(sorted(v)) if v else "" for v in lists)])


def decode_facts(customer_id: str, encoded: str) -> CustomerFacts:
    """The inverse of :func:`encode_facts` (unrolled: a scan decodes every customer in a
    block)."""
    name, emails, phones, devices, identities = encoded.split(_FIELD)
    return CustomerFacts(
        customer_id,
        name,
        frozenset(emails.split(_ITEM)) if emails else _EMPTY,
        frozenset(phones.split(_ITEM)) if phones else _EMPTY,
        frozenset(devices.split(_ITEM)) if devices else _EMPTY,
        frozenset(identities.split(_ITEM)) if identities else _EMPTY,
    )


@dataclass
class ScanResult:
    candidates: list[Candidate]
    compared_pairs: int = 0
    oversized_blocks: list[str] = field(default_factory=list)  # keys too common to compare


def _candidate(a: CustomerFacts, b: CustomerFacts, threshold: float) -> Candidate | None:
    result = score_pair(a, b)
    if result.score < threshold:
        return None
    first, second = (a, b) if a.id < b.id else (b, a)
    return Candidate(first.id, second.id, result.score, result.evidence, result.conflicts)


def _cannot_match(a: CustomerFacts, b: CustomerFacts, threshold: float) -> bool:
    """Cheap pre-check: no shared contact, and the names alone cannot reach the threshold given
    the contacts that disagree (two namesakes with their own email addresses)."""
    if a.emails & b.emails or a.phones & b.phones or a.devices & b.devices:
        return False
    if a.identities & b.identities:
        return False
    ceiling = WEIGHTS[Evidence.SAME_NAME]
    if a.emails and b.emails:
        ceiling *= CONFLICT_FACTORS[Conflict.DIFFERENT_EMAILS]
    if a.phones and b.phones:
        ceiling *= CONFLICT_FACTORS[Conflict.DIFFERENT_PHONES]
    if a.devices and b.devices:
        ceiling *= CONFLICT_FACTORS[Conflict.DIFFERENT_DEVICES]
    return ceiling < threshold or not a.name_key or not b.name_key


def find_candidates(
    customers: Iterable[CustomerFacts],
    *,
    threshold: float = THRESHOLD,
    max_block: int = MAX_BLOCK,
    skip_pairs: frozenset[tuple[str, str]] = frozenset(),
) -> ScanResult:
    """All candidate pairs, best first. ``skip_pairs`` (ordered id pairs) were dismissed."""
    blocks: dict[str, list[CustomerFacts]] = defaultdict(list)
    for facts in customers:
        for key in blocking_keys(facts):
            blocks[key].append(facts)
    return find_candidates_in_blocks(
        blocks, threshold=threshold, max_block=max_block, skip_pairs=skip_pairs
    )


def _signature(facts: CustomerFacts) -> tuple[bool, bool, bool]:
    return bool(facts.emails), bool(facts.phones), bool(facts.devices)


def _name_ceiling(a: tuple[bool, bool, bool], b: tuple[bool, bool, bool]) -> float:
    """The best score two customers can reach on their names alone, given which contact kinds
    both have (and so, unless shared, disagree on)."""
    ceiling = WEIGHTS[Evidence.SAME_NAME]
    for both, conflict in zip(
        (a[0] and b[0], a[1] and b[1], a[2] and b[2]),
        (Conflict.DIFFERENT_EMAILS, Conflict.DIFFERENT_PHONES, Conflict.DIFFERENT_DEVICES),
        strict=True,
    ):
        if both:
            ceiling *= CONFLICT_FACTORS[conflict]
    return ceiling


def _pairs_in(
    key: str, members: Sequence[CustomerFacts], threshold: float
) -> Iterator[tuple[CustomerFacts, CustomerFacts]]:
    """Pairs worth scoring in one block. In a name block, pairs whose contacts disagree are
    not even enumerated (a shared contact would have met them in that contact's block): for a
    crowded common name this is most pairs."""
    if not key.startswith("n:"):
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                yield a, b
        return
    classes: dict[tuple[bool, bool, bool], list[CustomerFacts]] = defaultdict(list)
    for facts in members:
        classes[_signature(facts)].append(facts)
    signatures = sorted(classes)
    for i, first in enumerate(signatures):
        for second in signatures[i:]:
            if _name_ceiling(first, second) < threshold:
                continue
            left, right = classes[first], classes[second]
            for j, a in enumerate(left):
                for b in left[j + 1 :] if first == second else right:
                    yield a, b


def find_candidates_in_blocks(
    blocks: Mapping[str, Sequence[CustomerFacts]],
    *,
    threshold: float = THRESHOLD,
    max_block: int = MAX_BLOCK,
    skip_pairs: frozenset[tuple[str, str]] = frozenset(),
) -> ScanResult:
    """Candidate pairs within ready-made blocks (key → customers sharing it)."""
    seen: set[tuple[str, str]] = set(skip_pairs)
    result = ScanResult(candidates=[])
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if len(members) > max_block:
            result.oversized_blocks.append(key)
            continue
        for a, b in _pairs_in(key, members, threshold):
            pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
            if pair in seen:
                continue
            seen.add(pair)
            result.compared_pairs += 1
            if _cannot_match(a, b, threshold):
                continue
            found = _candidate(a, b, threshold)
            if found is not None:
                result.candidates.append(found)
    result.candidates.sort(key=lambda c: (-c.score, c.a_id, c.b_id))
    return result


def candidates_for(
    target: CustomerFacts, others: Iterable[CustomerFacts], *, threshold: float = THRESHOLD
) -> list[Candidate]:
    """Candidates for one customer (the card's "4 possible duplicates"), best first."""
    found = [
        c
        for o in others
        if o.id != target.id and (c := _candidate(target, o, threshold)) is not None
    ]
    return sorted(found, key=lambda c: -c.score)
