/// The HTML report's stylesheet: screen and print.
extension HTMLReport {
    static let style = """

        :root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; --target: #dff1d8; }
        * { box-sizing: border-box; }
        body { font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink);
               max-width: 1200px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 36px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        h3 { font-size: 16px; margin: 18px 0 6px; }
        .meta, .note, footer { color: var(--muted); font-size: 13px; }
        .caveat { background: #fff7e0; border-left: 4px solid #f0b429; padding: 6px 10px; font-size: 13.5px; }
        nav a { margin-right: 14px; color: #1d5fa8; text-decoration: none; font-size: 14px; }
        figure { margin: 12px 0 20px; } figcaption { font-weight: 600; margin-bottom: 4px; }
        .legend span { margin-right: 14px; font-size: 13px; white-space: nowrap; } .legend svg { vertical-align: -1px; }
        .interventions { margin: 0 0 6px; padding-left: 18px; font-size: 13px; color: var(--muted); }
        figure svg { width: 100%; height: auto; display: block; }
        .legend svg { display: inline; width: auto; height: 12px; }
        svg .label { font-size: 13px; fill: var(--ink); } svg .inside { font-size: 11.5px; fill: #14171a; }
        svg .tick, svg .side { font-size: 11.5px; fill: var(--muted); }
        svg .target { fill: var(--target); } svg .bin { fill: #9db4cc; } svg .axis, svg .zero { stroke: #8895a7; stroke-width: 1; }
        svg .strategy { fill: none; stroke-width: 2; } svg .whisker { stroke: #334e68; stroke-width: 2; } svg .dot { fill: #1d5fa8; }
        svg .spread { fill: #1d5fa8; fill-opacity: 0.16; } svg .pooled { stroke: #8895a7; stroke-dasharray: 3 3; }
        svg .none { fill: #6b7785; font-style: italic; }
        svg .fan, .legend .fan { fill: #1d5fa8; fill-opacity: 0.18; } svg .threshold { stroke: #b5bfcc; stroke-dasharray: 4 3; }
        .pair { display: grid; grid-template-columns: 140px 1fr 1fr; gap: 12px; align-items: center; border-top: 1px solid var(--line); }
        .pair h3 { margin: 0; } .pair figure { margin: 6px 0; } .pair figcaption { font-weight: 400; font-size: 12.5px; color: var(--muted); }
        table { border-collapse: collapse; margin: 6px 0 14px; font-size: 12.5px; }
        .scroll { overflow-x: auto; }
        th, td { padding: 3px 6px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
        th:first-child { text-align: left; } thead th { color: var(--muted); font-weight: 600; }
        tr.sequence th { font-weight: 400; padding-left: 22px; color: var(--muted); } td small { color: var(--muted); }
        table.assumptions td, table.assumptions th { text-align: left; white-space: normal; }
        .rules { display: flex; gap: 24px; flex-wrap: wrap; }
        @media print {
          body { max-width: none; padding: 0; font-size: 11px; } nav { display: none; }
          table { font-size: 9.5px; } th, td { padding: 2px 5px; } .scroll { overflow: visible; }
          section { break-inside: auto; } figure, .pair, table { break-inside: avoid; }
          h2, h3 { break-after: avoid; } .caveat { border: 1px solid #f0b429; border-left-width: 4px; }
        }

        """
}
