"""Time the rule engine on a realistic application against a plain-Python Decimal baseline.

Run: .venv/bin/python bench/bench_rules.py [--repeats N] [--on YYYY-MM-DD]

The application has 170 results (SAR per band x position x mass, RF per band, EMC per
frequency including a ten-frequency mains conducted peak list judged against the CISPR 32 sloped
limits, RoHS per material, observations). Both the engine and the baseline judge it against
the six markets' sets in force on one date; the baseline does the same comparisons with plain
tuples, dicts and Decimals (no dataclasses, no reasons), and the script checks that both reach
the same verdicts before printing the medians and their ratio. The default date picks the 2026.11
versions, whose mains conducted limits are curves; --on 2025-09-01 times the fixed-limit versions.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from decimal import Context, Decimal
from typing import Any

from labcert.rules import evaluate, load_registry, parse_product, parse_results
from labcert.rules.applicability import fact_value
from labcert.rules.checks import CHECKS
from labcert.rules.units import factor

ON = date(2026, 12, 1)  # the 2026.11 versions, with the frequency-dependent limits
MARKETS = ("eu-red", "us-fcc", "sa-cst", "ae-tdra", "eaeu", "pk-pta")
# The same arithmetic as the engine's curves: 50 digits on the way, 34 in the limit.
WIDE, LIMIT = Context(prec=50), Context(prec=34)
SEVERITY = {"pass": 0, "conditional_pass": 1, "indeterminate": 2, "conditional_fail": 3, "fail": 4}


def _m(test: str, value: object, unit: str, u: str | None = None, **conditions: object) -> dict:
    """Return a measurement result dict (text numbers, as the API receives them)."""
    item = {"test": test, "value": str(value), "unit": unit, "conditions": conditions}
    if u is not None:
        item["uncertainty"] = u
    return item


def _o(test: str, observation: str, **conditions: object) -> dict:
    """Return an observation result dict."""
    return {"test": test, "observation": observation, "conditions": conditions}


def application() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the product dict and ~150 result dicts of one realistic application."""
    product = {
        "brand": "Indus", "model": "IM-5G1", "category": "smartphone",
        "technologies": ["gsm", "umts", "lte", "wlan", "bluetooth", "nfc"],
        "bands": ["GSM900", "DCS1800", "GSM1900", "UMTS B1", "UMTS B2", "LTE B1", "LTE B2",
                  "LTE B3", "LTE B4", "LTE B7", "LTE B20", "LTE B66", "WLAN 2.4G"],
        "tacs": ["35209900"], "sample_imeis": ["352099001761481", "352099001761499"],
        "has_internet": True,
    }  # fmt: skip
    results = []
    for i, band in enumerate(["GSM900", "DCS1800", "UMTS B1", "LTE B3", "LTE B7", "LTE B2"]):
        for j, position in enumerate(["left cheek", "left tilt", "right cheek", "right tilt"]):
            for mass in (1, 10):
                sar = Decimal("0.40") + Decimal(i * 7 + j * 3 + mass) / 100
                results.append(
                    _m("sar.head", sar, "W/kg", "0.22", band=band, position=position, mass_g=mass)
                )
        for position in ("back 5 mm", "front 5 mm"):
            for mass in (1, 10):
                body = _m(
                    "sar.body", f"0.{60 + i * 5}", "mW/g", band=band, position=position, mass_g=mass
                )
                results.append({**body, "uncertainty_pct": "20"})
        results.append(
            _m("sar.limb", f"1.{i}", "W/kg", "0.3", band=band, position="hand", mass_g=10)
        )
    for band, dbm in {
        "GSM900": "32.6",
        "DCS1800": "29.7",
        "UMTS B1": "23.1",
        "LTE B1": "23.2",
        "LTE B3": "23.4",
        "LTE B7": "22.9",
        "LTE B20": "22.8",
        "WLAN 2.4G": "19.2",
    }.items():
        results.append(_m("rf.conducted_power", dbm, "dBm", "0.6", band=band))
    # An LTE channel at the band edge: the 1.5 dB relaxation (TS 36.101 NOTE 2) applies.
    results.append(_m("rf.conducted_power", "19.4", "dBm", "0.6", band="LTE B1", band_edge_mhz=2))
    for band, dbm in {
        "LTE B2": "31.8",
        "GSM1900": "32.2",
        "LTE B4": "28.9",
        "LTE B66": "29.1",
    }.items():
        results.append(_m("rf.eirp", dbm, "dBm", "1.0", band=band))
    results += [
        _m("rf.eirp_2g4", "17.8", "dBm", "1.2", band="WLAN 2.4G"),
        _m("rf.eirp_2g4", "9.5", "dBm", "1.2", band="Bluetooth"),
        _m("rf.psd_2g4", "7.9", "dBm/MHz", "2.1"),
    ]
    for mhz, dbm in {
        150: "-52.3",
        600: "-48.0",
        1800: "-41.0",
        3600: "-38.5",
        7000: "-40.2",
    }.items():
        results.append(_m("rf.spurious", dbm, "dBm", "2.5", frequency_mhz=mhz))
    for band, ppm in {
        "LTE B3": "0.021",
        "GSM900": "-0.035",
        "UMTS B1": "0.012",
        "LTE B7": "-0.018",
    }.items():
        results.append(_m("rf.frequency_error", ppm, "ppm", "0.005", band=band))
    for band, dbm in {
        "LTE B1": "-99.1",
        "LTE B3": "-96.4",
        "LTE B7": "-97.2",
        "LTE B20": "-97.0",
        "GSM900": "-106.5",
    }.items():
        results.append(_m("rf.refsens", dbm, "dBm", "0.7", band=band))
    for mhz, level in {
        48: "31.0",
        120: "31.2",
        200: "33.5",
        480: "38.9",
        600: "40.1",
        980: "41.0",
    }.items():
        results.append(
            _m(
                "emc.radiated",
                level,
                "dBuV/m",
                "5.1",
                frequency_mhz=mhz,
                detector="QP",
                distance_m=3,
            )
        )
    for mhz in (1800, 2400, 4200):
        for detector, level in (("AV", "41.3"), ("PK", "55.0")):
            results.append(
                _m(
                    "emc.radiated",
                    level,
                    "dBuV/m",
                    "4.9",
                    frequency_mhz=mhz,
                    detector=detector,
                    distance_m=3,
                )
            )
    # The charger's mains conducted peak list: ten frequencies, four on the sloped segment.
    for mhz, qp, av in (
        ("0.16", "58.3", "47.1"),
        ("0.2", "55.0", "44.2"),
        ("0.3", "52.4", "41.8"),
        ("0.45", "49.0", "38.3"),
        ("0.9", "44.1", "35.2"),
        ("2", "43.0", "34.9"),
        ("5", "41.2", "33.0"),
        ("12", "41.0", "33.9"),
        ("25", "38.7", "30.2"),
        ("30", "37.5", "29.9"),
    ):
        for detector, level in (("QP", qp), ("AV", av)):
            results.append(
                _m("emc.conducted", level, "dBuV", "3.0", frequency_mhz=mhz, detector=detector)
            )
    results += [
        _o("emc.esd", "B", discharge="contact", level_kv=4),
        _o("emc.esd", "A", discharge="air", level_kv=8),
        _o("emc.rf_immunity", "A", field_v_m=3),
        *(
            _o(test, "pass")
            for test in ("safety.iec62368", "battery.iec62133", "battery.un38_3", "cyber.en18031")
        ),
        _o("ingress.ip", "IP68"),
        _m("durability.free_fall", 45, "1"),
        _m("battery.cycle_retention", "86.5", "%", "1.5", cycles=800),
    ]
    substances = ["pb", "hg", "cd", "cr6", "pbb", "pbde", "dehp", "bbp", "dbp", "dibp"]
    for material, unit, scale in (("PCB solder", "ppm", 1), ("housing ABS", "%", Decimal("1E-4"))):
        for k, substance in enumerate(substances):
            results.append(
                _m(
                    f"rohs.{substance}",
                    Decimal(5 + 3 * k) * scale,
                    unit,
                    str(Decimal(2) * scale),
                    material=material,
                )
            )
    return product, results


# ---- the baseline: the same comparisons written by hand on plain data -----------------------


def compile_set(cs: Any) -> dict[str, Any]:
    """Flatten a criteria set into plain tuples for the hand-written baseline."""
    criteria = []
    for c in cs.criteria:
        conditions = []
        for name, m in c.conditions.items():
            if m.op in ("equals", "in"):
                conditions.append((name, "in", {t for t, _ in m.values}, {n for _, n in m.values}))
            elif m.op == "range":
                conditions.append((name, "range", m.low, m.high))
            else:
                conditions.append((name, "prefix", m.values[0][0], None))
        applies = [(a.fact, a.op, a.value) for a in c.applies_if]
        curve = None
        if c.limit.curve is not None:
            segments = []
            for seg in c.limit.curve.segments:
                logs = None
                if seg.interpolation == "log10":
                    log_low = WIDE.log10(seg.low)
                    logs = (log_low, WIDE.subtract(WIDE.log10(seg.high), log_low))
                segments.append((seg.low, seg.high, seg.at_low, seg.at_high, logs))
            curve = (c.limit.curve.over, c.limit.curve.edges == "lower", segments)
        relax = [(r.condition, r.when.low, r.when.high, r.low, r.high) for r in c.limit.relaxations]
        criteria.append(
            (
                c.id,
                c.test,
                c.kind,
                c.limit.kind,
                c.limit.low,
                c.limit.high,
                c.limit.inclusive,
                {v.casefold() for v in c.limit.values},
                c.unit,
                c.rule.name,
                c.rule.max_uncertainty,
                c.rule.on_excess,
                c.rule.u_cispr,
                conditions,
                applies,
                c.effective_from,
                c.required,
                curve,
                relax,
            )
        )
    return {"criteria": criteria, "accept": cs.accept_conditional_pass}


def plain_results(results: list[Any]) -> dict[str, list[tuple]]:
    """Index results by test as plain tuples with folded condition values."""
    index: dict[str, list[tuple]] = {}
    for r in results:
        if r.is_superseded:
            continue
        conditions = {k: (v.casefold(), n) for k, (v, n) in r.normalised.items()}
        index.setdefault(r.test, []).append(
            (r.value, r.unit, r.uncertainty, r.uncertainty_pct, r.observation, conditions)
        )
    return index


def _applies(applies: list, facts: dict[str, Any]) -> bool:
    for fact, op, value in applies:
        have = facts[fact]
        if op == "contains" and value.casefold() not in have:
            return False
        if op == "contains_any" and not any(v.casefold() in have for v in value):
            return False
        if op == "in" and have not in {v.casefold() for v in value}:
            return False
        if op == "equals" and have != (value.casefold() if isinstance(value, str) else value):
            return False
    return True


def _matches(conditions: list, result_conditions: dict) -> bool:
    for name, kind, a, b in conditions:
        got = result_conditions.get(name)
        if got is None:
            return False
        text, number = got
        if kind == "in":
            if not (text in a or (number is not None and number in b)):
                return False
        elif kind == "range":
            if number is None or (a is not None and number < a) or (b is not None and number > b):
                return False
        elif not text.startswith(a):
            return False
    return True


def _curve_value(curve: tuple, conditions: dict) -> Decimal:
    """Return a curve's limit at the result's condition value, computed by hand."""
    over, lower_edge, segments = curve
    x = conditions[over][1]
    chosen = None
    for seg in segments if lower_edge else reversed(segments):
        if (x <= seg[1]) if lower_edge else (x >= seg[0]):
            chosen = seg
            break
    low, high, at_low, at_high, logs = chosen
    if logs is None or x == low:
        return at_low
    if x == high:
        return at_high
    share = WIDE.divide(WIDE.subtract(WIDE.log10(x), logs[0]), logs[1])
    value = WIDE.add(at_low, WIDE.multiply(WIDE.subtract(at_high, at_low), share))
    return value.normalize(LIMIT)


def baseline(
    compiled: dict[str, Any],
    facts: dict[str, Any],
    index: dict[str, list[tuple]],
    factors: dict[tuple[str, str], Decimal],
    product: Any,
    on: date,
) -> tuple[str, dict]:
    """Judge every criterion by hand and return the overall verdict and per-criterion verdicts."""
    verdicts: dict[str, str] = {}
    missing_required = False
    zero = Decimal(0)
    for (
        cid,
        test,
        kind,
        lkind,
        compiled_low,
        compiled_high,
        inclusive,
        allowed,
        unit,
        rule,
        umax,
        on_excess,
        ucispr,
        conditions,
        applies,
        effective,
        required,
        curve,
        relax,
    ) in compiled["criteria"]:
        if effective is not None and effective > on:
            continue
        if applies and not _applies(applies, facts):
            continue
        if kind == "computed":
            check = CHECKS[test](product)
            if check is None:
                missing_required = missing_required or required
            else:
                verdicts[cid] = "pass" if check.verdict in allowed else "fail"
            continue
        matched = [r for r in index.get(test, ()) if _matches(conditions, r[5])]
        if not matched:
            missing_required = missing_required or required
            continue
        worst = -1
        for value, runit, u, upct, observation, result_conditions in matched:
            if kind == "observation":
                verdict = "pass" if observation.casefold() in allowed else "fail"
            else:
                y = value
                if runit != unit:
                    f = factors[(runit, unit)]
                    y = value * f
                    u = None if u is None else u * f
                if upct is not None:
                    u = upct * abs(y) / 100
                low, high = compiled_low, compiled_high
                if curve is not None or relax:
                    if curve is not None:
                        if lkind == "max":
                            high = _curve_value(curve, result_conditions)
                        else:
                            low = _curve_value(curve, result_conditions)
                    for name, r_min, r_max, r_low, r_high in relax:
                        got = result_conditions.get(name)
                        n = None if got is None else got[1]
                        if n is not None and r_min <= n <= r_max:
                            low = None if low is None else low + r_low
                            high = None if high is None else high + r_high
                d = (
                    high - y
                    if lkind == "max"
                    else y - low
                    if lkind == "min"
                    else min(y - low, high - y)
                )
                if rule == "simple":
                    verdict = "pass" if (d >= 0 if inclusive else d > 0) else "fail"
                elif u is None:
                    verdict = "indeterminate"
                elif rule == "guarded":
                    if lkind == "range" and 2 * u >= high - low:
                        verdict = "indeterminate"
                    elif d >= u if inclusive else d > u:
                        verdict = "pass"
                    elif d >= 0 if inclusive else d > 0:
                        verdict = "conditional_pass"
                    elif d >= -u if inclusive else d > -u:
                        verdict = "conditional_fail"
                    else:
                        verdict = "fail"
                else:
                    excess = max(u - (ucispr if rule == "cispr" else umax), zero)
                    empty = lkind == "range" and 2 * excess > high - low
                    if (excess and on_excess == "invalid") or empty:
                        verdict = "indeterminate"
                    else:
                        m = d - excess
                        verdict = "pass" if (m >= 0 if inclusive else m > 0) else "fail"
            worst = max(worst, SEVERITY[verdict])
        verdicts[cid] = next(v for v, s in SEVERITY.items() if s == worst)
    values = set(verdicts.values())
    if values & {"fail", "conditional_fail"} or (
        "conditional_pass" in values and not compiled["accept"]
    ):
        return "fail", verdicts
    if missing_required or "indeterminate" in values:
        return "incomplete", verdicts
    return "pass", verdicts


def median_ms(fn: Any, repeats: int) -> float:
    """Return the median wall time of fn() in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    """Build the application, check engine and baseline agree, and print both timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--on", type=date.fromisoformat, default=ON, help="evaluation date")
    args = parser.parse_args()
    on = args.on

    registry = load_registry()
    product_data, result_data = application()
    product = parse_product(product_data)
    start = time.perf_counter()
    results = parse_results(result_data, registry.catalogue)
    parse_ms = (time.perf_counter() - start) * 1000
    sets = [registry.resolve(m, on) for m in MARKETS]

    compiled = [compile_set(cs) for cs in sets]
    index = plain_results(results)
    facts = {
        name: fact_value(product, name)
        for name in (
            "technologies",
            "bands",
            "category",
            "foldable",
            "has_internet",
            "charger_included",
        )
    }
    facts = {
        k: (
            {x.casefold() for x in v}
            if isinstance(v, frozenset)
            else v.casefold()
            if isinstance(v, str)
            else v
        )
        for k, v in facts.items()
    }
    pairs = {
        (r.unit, c.unit)
        for cs in sets
        for c in cs.criteria
        for r in results
        if r.test == c.test and r.unit and c.unit
    }
    factors = {pair: factor(*pair) for pair in pairs}

    for cs, plain in zip(sets, compiled, strict=True):
        evaluation = evaluate(cs, product, results, on)
        verdict, verdicts = baseline(plain, facts, index, factors, product, on)
        assert evaluation.verdict == verdict, (cs.ref, evaluation.verdict, verdict)
        assert evaluation.verdicts() == verdicts, cs.ref

    def engine_all() -> None:
        for cs in sets:
            evaluate(cs, product, results, on)

    def baseline_all() -> None:
        for plain in compiled:
            baseline(plain, facts, index, factors, product, on)

    def to_dict_all() -> None:
        for evaluation in evaluations:
            evaluation.to_dict()

    evaluations = [evaluate(cs, product, results, on) for cs in sets]
    engine_all(), baseline_all()  # warm caches
    engine = median_ms(engine_all, args.repeats)
    plain = median_ms(baseline_all, args.repeats)
    serialise = median_ms(to_dict_all, args.repeats)
    judged = sum(len(e.outcomes) for e in evaluations)
    print(
        f"application: {len(results)} results, {len(sets)} markets "
        f"({', '.join(cs.ref for cs in sets)}), {judged} criteria judged"
    )
    print(f"parse_results (once, not in the ratio): {parse_ms:.2f} ms")
    print(f"engine   (evaluate x{len(sets)}): median {engine:.2f} ms over {args.repeats} runs")
    print(f"baseline (plain Decimal x{len(sets)}): median {plain:.2f} ms over {args.repeats} runs")
    print(f"to_dict  (x{len(sets)}, not in the ratio): median {serialise:.2f} ms")
    print(
        f"ratio engine/baseline: {engine / plain:.2f} (goal <= 3); "
        f"per application: {engine:.2f} ms (goal < 20 ms)"
    )


if __name__ == "__main__":
    main()
