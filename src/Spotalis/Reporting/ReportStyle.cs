namespace Spotalis.Reporting;

/// <summary>The inline style sheet of every report page (run and sweep), so they look alike and need no network.</summary>
public static class ReportStyle
{
    public const string Sheet =
        """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1200px;color:#1f2933;background:#fff}
        h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 10px;border-bottom:1px solid #e4e7eb;padding-bottom:4px}h3{font-size:15px;margin:14px 0 6px}
        .description{margin:4px 0;color:#3e4c59}.meta{color:#616e7c;font-size:13px}.failure{color:#b42318;font-weight:600}
        .hypothesis{font-size:15px}
        .verdict,.outcome{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
        .validated,.complete,.met{background:#def7ec;color:#03543f}.invalidated,.failed,.unmet{background:#fde8e8;color:#9b1c1c}.insufficient,.above{background:#fdf6b2;color:#723b13}
        .cards{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}
        .card{border:1px solid #e4e7eb;border-radius:8px;padding:10px 12px}.card.good{border-color:#84e1bc}.card.bad{border-color:#f98080;background:#fdf2f2}
        .card-title{font-size:12px;color:#616e7c;text-transform:uppercase;letter-spacing:.04em}.card-value{font-size:24px;font-weight:650;margin:2px 0}.card-note{font-size:12px;color:#7b8794}
        .card-workload{font-weight:600;color:#3e4c59}
        table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}th,td{border-bottom:1px solid #e4e7eb;padding:5px 8px;text-align:left}th{background:#f5f7fa}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .grid{display:grid;grid-template-columns:repeat(2,1fr);gap:14px}
        figure.workload,figure.sweep{margin:0;border:1px solid #e4e7eb;border-radius:8px;padding:8px}figcaption{font-size:13px;margin-bottom:4px}
        .workload-totals{font-size:12px;color:#616e7c;margin:4px 0 0}
        #reproduce pre{background:#f5f7fa;border:1px solid #e4e7eb;border-radius:6px;padding:8px 10px;overflow-x:auto;font-size:12.5px}
        #reproduce dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;font-size:13px}#reproduce dt{color:#616e7c}#reproduce dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
        svg.chart{display:block;max-width:100%;height:auto}
        svg .plot{fill:#fbfcfd;stroke:#cbd2d9}svg .grid{stroke:#e4e7eb;stroke-width:1}svg .axis{font-size:10px;fill:#616e7c}
        svg .legend-text{font-size:11px;fill:#3e4c59}svg .row-label{font-size:11px;fill:#3e4c59}
        svg .area-on-demand{fill:#3b82f6;fill-opacity:.75}svg .area-spot{fill:#f59e0b;fill-opacity:.75}
        svg .line-desired{stroke:#111827;stroke-width:1.5;stroke-dasharray:5 3}svg .line-desired-spot{stroke:#92400e;stroke-width:1.2;stroke-dasharray:2 3}
        svg .line-pending{stroke:#dc2626;stroke-width:1.5}
        svg .interruption{stroke:#dc2626;stroke-width:1.2;stroke-opacity:.7}svg .outage{fill:#9ca3af;fill-opacity:.3}
        svg .line-cost{stroke:#059669;stroke-width:2.2}svg .line-baseline{stroke:#6b7280;stroke-width:2;stroke-dasharray:6 4}
        svg .line-pool{stroke-width:2}svg .line-pool.spot{stroke:#f59e0b}svg .line-pool.on-demand{stroke:#3b82f6}
        svg .dash-0{stroke-dasharray:none}svg .dash-1{stroke-dasharray:7 3}svg .dash-2{stroke-dasharray:2 3}svg .dash-3{stroke-dasharray:9 3 2 3}svg .dash-4{stroke-dasharray:4 4}
        svg .line-sweep{stroke-width:1.6;fill:none}svg .line-sweep.floor-0{stroke:#059669}svg .line-sweep.floor-1{stroke:#2563eb}svg .line-sweep.floor-2{stroke:#7c3aed}svg .line-sweep.floor-3{stroke:#db2777}svg .line-sweep.floor-4{stroke:#0891b2}
        svg .marker-met{fill:#059669;stroke:#fff;stroke-width:1}svg .marker-unmet{fill:#fff;stroke:#dc2626;stroke-width:2}svg .marker-recommended{fill:none;stroke:#111827;stroke-width:2.2}
        svg .marker-interruption{fill:#dc2626;stroke:#fff;stroke-width:1}svg .marker-run-failed{fill:#9ca3af;stroke:#374151;stroke-width:1}
        .legend{font-size:12px;color:#3e4c59}
        footer{margin-top:28px;font-size:12px;color:#7b8794}
        """;
}
