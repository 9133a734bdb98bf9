//! `keys-admin progress`: the phase-out's figures (token holders, activations, token logins, notice choices, forecast at the sunset) as text, JSON or an HTML report with charts, read from the day counters and never a scan.

use askama::Template;
use keys_domain::App;
use keys_domain::progress::{self, DayCounts, Figures, Forecast};
use keys_domain::store::StoreError;
use plotters::prelude::*;
use serde::Serialize;
use time::Date;

/// One day of the report: its counters and the token holders at its end.
#[derive(Debug, Clone, Serialize)]
pub struct DayRow {
    pub day: String,
    pub token_holders: i64,
    #[serde(flatten)]
    pub counts: DayCounts,
}

/// The whole report, as `--json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub today: String,
    pub sunset: String,
    pub forecast: Forecast,
    /// Sums over every day counted.
    pub totals: DayCounts,
    /// Every day from the first counted to today, oldest first.
    pub days: Vec<DayRow>,
}

/// Reads the counters (one query per shard) and builds the report.
pub async fn read(app: &App) -> Result<Report, StoreError> {
    Ok(Report::from_figures(&progress::read(app).await?))
}

fn sum(days: &[DayRow]) -> DayCounts {
    let mut total = DayCounts::default();
    for row in days {
        let c = &row.counts;
        total.token_added += c.token_added;
        total.token_retired += c.token_retired;
        total.activated_email += c.activated_email;
        total.activated_app += c.activated_app;
        total.login_token += c.login_token;
        total.login_email += c.login_email;
        total.login_app += c.login_app;
        total.notice_shown += c.notice_shown;
        total.notice_activate += c.notice_activate;
        total.notice_other_key += c.notice_other_key;
        total.notice_close += c.notice_close;
        total.reminded += c.reminded;
        total.grace_login += c.grace_login;
        total.switched_after_reminder += c.switched_after_reminder;
        for (lang, counts) in &c.by_lang {
            let sum = total.by_lang.entry(lang.clone()).or_default();
            sum.token_added += counts.token_added;
            sum.token_retired += counts.token_retired;
        }
    }
    total
}

impl Report {
    pub fn from_figures(figures: &Figures) -> Report {
        let holders = figures.token_holders_by_day();
        let days: Vec<DayRow> = figures
            .every_day()
            .into_iter()
            .zip(holders)
            .map(|((day, counts), (_, held))| DayRow {
                day: progress::iso_day(day),
                token_holders: held,
                counts,
            })
            .collect();
        Report {
            today: progress::iso_day(figures.today),
            sunset: progress::iso_day(keys_domain::calendar::local_date(figures.sunset)),
            forecast: figures.forecast(),
            totals: sum(&days),
            days,
        }
    }

    /// The report as text: the headline figures, then the last `last_days` days as a table.
    pub fn text(&self, last_days: usize) -> String {
        let f = &self.forecast;
        let t = &self.totals;
        let mut out = format!(
            "Token phase-out on {} (sunset {}, {} day(s) to go; days on the {} calendar, as pages and mails give them)\n\n",
            self.today,
            self.sunset,
            f.days_to_sunset,
            keys_domain::calendar::TIME_ZONE
        );
        let line = |label: &str, value: String| format!("  {label:<38} {value}\n");
        out.push_str(&line(
            "citizens with an active token",
            f.token_holders.to_string(),
        ));
        out.push_str(&line(
            &format!("tokens retired a day (last {} days)", progress::PACE_DAYS),
            format!("{:.1}", f.retired_per_day),
        ));
        out.push_str(&line(
            "forecast: still on a token at sunset",
            f.token_holders_at_sunset.to_string(),
        ));
        out.push_str(&line(
            "forecast: last token retired on",
            f.all_switched_on
                .map(progress::iso_day)
                .unwrap_or_else(|| "never at this pace".to_string()),
        ));
        out.push_str(&line(
            "keys activated (e-mail / app)",
            format!("{} / {}", t.activated_email, t.activated_app),
        ));
        out.push_str(&line(
            "logins (token / e-mail / app)",
            format!("{} / {} / {}", t.login_token, t.login_email, t.login_app),
        ));
        out.push_str(&line(
            "notices shown",
            format!(
                "{} (activate {}, other key {}, close {})",
                t.notice_shown, t.notice_activate, t.notice_other_key, t.notice_close
            ),
        ));
        out.push_str(&line("reminders queued", t.reminded.to_string()));
        out.push_str(&line(
            "reminded, then switched",
            t.switched_after_reminder.to_string(),
        ));
        if !t.by_lang.is_empty() {
            // Counted since this counter exists: added minus retired, per language.
            let by_lang: Vec<String> = t
                .by_lang
                .iter()
                .map(|(lang, c)| {
                    format!(
                        "{lang} {} (retired {})",
                        c.token_added - c.token_retired,
                        c.token_retired
                    )
                })
                .collect();
            out.push_str(&line("token holders by language", by_lang.join(", ")));
        }
        out.push_str(&line(
            "token logins in the grace window (wizard only)",
            t.grace_login.to_string(),
        ));
        if self.days.is_empty() {
            out.push_str("\nNothing counted yet.\n");
            return out;
        }
        out.push_str(&format!(
            "\n{:<10} {:>8} {:>7} {:>7} {:>6} {:>6} {:>7} {:>8} {:>6} {:>6} {:>8}\n",
            "day",
            "holders",
            "retired",
            "e-mail",
            "app",
            "token",
            "notices",
            "activate",
            "other",
            "close",
            "reminded"
        ));
        let skip = self.days.len().saturating_sub(last_days);
        for row in &self.days[skip..] {
            let c = &row.counts;
            out.push_str(&format!(
                "{:<10} {:>8} {:>7} {:>7} {:>6} {:>6} {:>7} {:>8} {:>6} {:>6} {:>8}\n",
                row.day,
                row.token_holders,
                c.token_retired,
                c.activated_email,
                c.activated_app,
                c.login_token,
                c.notice_shown,
                c.notice_activate,
                c.notice_other_key,
                c.notice_close,
                c.reminded
            ));
        }
        out.push_str(
            "(columns: tokens retired; keys activated by e-mail and app; token logins; notices shown and the choice made; reminders)\n",
        );
        out
    }

    /// The report as one HTML page with its charts inline (SVG), readable offline.
    pub fn html(&self) -> Result<String, String> {
        let days: Vec<Date> = self
            .days
            .iter()
            .filter_map(|row| progress::parse_day(&row.day))
            .collect();
        // A value per day, on its day.
        let series = |pick: fn(&DayRow) -> i64| -> Vec<(Date, i64)> {
            days.iter()
                .copied()
                .zip(self.days.iter().map(pick))
                .collect()
        };
        let sunset = progress::parse_day(&self.sunset);
        let mut holders = vec![Line::solid(
            "Citizens with an active token",
            BLUE_600,
            series(|r| r.token_holders),
        )];
        if let (Some(last), Some(sunset)) = (days.last(), sunset)
            && *last < sunset
        {
            // The forecast: from today's figure to the one at the sunset, dashed.
            holders.push(Line {
                label: "Forecast at the current pace",
                colour: GREY_600,
                points: vec![
                    (*last, self.forecast.token_holders),
                    (sunset, self.forecast.token_holders_at_sunset),
                ],
                dashed: true,
            });
        }
        let charts = vec![
            Chart::render(
                "holders",
                "Citizens with an active token, and the forecast to the sunset",
                &days,
                &holders,
            )?,
            Chart::render(
                "activations",
                "Keys activated per day, by key",
                &days,
                &[
                    Line::solid(
                        "Security code by e-mail",
                        BLUE_600,
                        series(|r| r.counts.activated_email),
                    ),
                    Line::solid(
                        "Authenticator app",
                        ORANGE_600,
                        series(|r| r.counts.activated_app),
                    ),
                ],
            )?,
            Chart::render(
                "logins",
                "Token logins per day",
                &days,
                &[Line::solid(
                    "Token logins",
                    BLUE_600,
                    series(|r| r.counts.login_token),
                )],
            )?,
            Chart::render(
                "notices",
                "Phase-out notices shown per day, and the choice made",
                &days,
                &[
                    Line::solid("Shown", GREY_600, series(|r| r.counts.notice_shown)),
                    Line::solid(
                        "Activate now",
                        BLUE_600,
                        series(|r| r.counts.notice_activate),
                    ),
                    Line::solid(
                        "Another key",
                        ORANGE_600,
                        series(|r| r.counts.notice_other_key),
                    ),
                    Line::solid("Close", RED_700, series(|r| r.counts.notice_close)),
                ],
            )?,
        ];
        let page = ReportPage {
            report: self,
            retired_per_day: format!("{:.1}", self.forecast.retired_per_day),
            all_switched_on: self
                .forecast
                .all_switched_on
                .map(progress::iso_day)
                .unwrap_or_else(|| "never at this pace".to_string()),
            charts,
        };
        page.render().map_err(|err| err.to_string())
    }
}

// Colours that keep a 3:1 contrast on white and stay apart for the common colour blindnesses.
const BLUE_600: RGBColor = RGBColor(0x1d, 0x4e, 0xd8);
const ORANGE_600: RGBColor = RGBColor(0xc2, 0x41, 0x0c);
const GREY_600: RGBColor = RGBColor(0x52, 0x52, 0x5b);
const RED_700: RGBColor = RGBColor(0x9f, 0x12, 0x39);

/// One line of a chart: a value per day (or, dashed, a few points such as the forecast).
struct Line {
    label: &'static str,
    colour: RGBColor,
    points: Vec<(Date, i64)>,
    dashed: bool,
}

impl Line {
    fn solid(label: &'static str, colour: RGBColor, points: Vec<(Date, i64)>) -> Line {
        Line {
            label,
            colour,
            points,
            dashed: false,
        }
    }
}

/// A chart of the report: its SVG, and the same figures as a table for screen readers.
pub struct Chart {
    pub id: &'static str,
    pub title: &'static str,
    pub svg: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<(String, Vec<i64>)>,
}

impl Chart {
    fn render(
        id: &'static str,
        title: &'static str,
        days: &[Date],
        lines: &[Line],
    ) -> Result<Chart, String> {
        let svg = draw(title, days, lines).map_err(|err| format!("chart {id}: {err}"))?;
        let solid: Vec<&Line> = lines.iter().filter(|l| !l.dashed).collect();
        let rows = days
            .iter()
            .enumerate()
            .map(|(i, day)| {
                (
                    progress::iso_day(*day),
                    solid
                        .iter()
                        .map(|l| l.points.get(i).map(|p| p.1).unwrap_or(0))
                        .collect(),
                )
            })
            .collect();
        Ok(Chart {
            id,
            title,
            svg,
            columns: solid.iter().map(|l| l.label).collect(),
            rows,
        })
    }
}

fn draw(title: &str, days: &[Date], lines: &[Line]) -> Result<String, String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mut svg = String::new();
    let first = days.first().copied().unwrap_or(Date::MIN);
    let last = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .chain(days.last().copied())
        .max()
        .unwrap_or(first);
    let x = |day: Date| (day - first).whole_days() as i32;
    let x_max = x(last).max(1);
    let y_max = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .max()
        .unwrap_or(0)
        .max(1);
    // Room above the highest point for the legend, so it covers no line.
    let y_top = y_max + (y_max * 3 / 10).max(1);
    {
        let root = SVGBackend::with_string(&mut svg, (880, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(0..x_max, 0..y_top)
            .map_err(|e| err(&e))?;
        let label = |offset: &i32| {
            first
                .checked_add(time::Duration::days(i64::from(*offset)))
                .map(progress::iso_day)
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .x_labels(8)
            .y_labels(6)
            .x_label_formatter(&label)
            .label_style(("sans-serif", 13))
            .light_line_style(WHITE)
            .draw()
            .map_err(|e| err(&e))?;
        for line in lines {
            let style = ShapeStyle::from(&line.colour).stroke_width(2);
            let points: Vec<(i32, i64)> = line.points.iter().map(|(d, v)| (x(*d), *v)).collect();
            let drawn = if line.dashed {
                chart.draw_series(DashedLineSeries::new(points, 8, 6, style))
            } else {
                // A mark on each day as well: a line needs two days, a first day after the
                // import has one.
                chart
                    .draw_series(points.iter().map(|p| Circle::new(*p, 4, style.filled())))
                    .map_err(|e| err(&e))?;
                chart.draw_series(LineSeries::new(points, style))
            };
            drawn
                .map_err(|e| err(&e))?
                .label(line.label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(("sans-serif", 13))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    // The chart is an image to assistive technology, named by its title; the table has the figures.
    let named = format!(
        "<svg role=\"img\" aria-label=\"{}\" focusable=\"false\"",
        askama_escape(title)
    );
    Ok(svg.replacen("<svg", &named, 1))
}

fn askama_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[derive(Template)]
#[template(path = "progress.html")]
struct ReportPage<'a> {
    report: &'a Report,
    retired_per_day: String,
    all_switched_on: String,
    charts: Vec<Chart>,
}
