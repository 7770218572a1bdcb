-- ingest/stage/stage_publication: ONE staging query for every published format, run from its description
--   (workforce/adapters/<publication>.py): read the file's rows as text, melt each row's value
--   columns into measures (by the row's type where the file is long by a TYPE column), place each
--   figure in its month (a period 'A to B': start, end, or spread evenly over the months after A up
--   to B), and mark with why the rows not to load: England/region/ICS aggregates, finer breakdowns
--   whose 'All …' row is loaded instead, types not loaded, figures with no measure in config.yaml,
--   headcount over finer rows (not additive); ingest/stage/skip_overlapping_periods.sql then marks the months a
--   later overlapping period covers (a period 'A to B' file only).
--   Where a file leaves out zero rows (absent_is_zero), a type missing for a listed organisation
--   and staff group is staged as 0. Scores become score × respondents and percentages a count of
--   respondents, so every figure adds up.
-- grain: one row per (file row, measure, month); row_no is the file's row.
-- params: $path, $columns, $skip (see ingest/stage/stage_csv.sql); $present (canonical columns in the file);
--   $slot_names (canonical value column of each slot v_1…); $melt_slot, $melt_type, $melt_measure,
--   $melt_kind, $melt_place (parallel lists: the melts); $weight_slot (respondents' slot, 0 none);
--   $period_kind (month | range | survey_year), $period_months; $detail_rows, $has_detail,
--   $not_additive; $staff_group_constant, $all_staff_groups, $org (the organisation named at load
--   time, '' = from the file); $absent_is_zero; $skip_types, $skip_type_reasons; $measures.
-- columns: row_no, period_text, org_code, staff_group, breakdown, breakdown_value, measure,
--   value_text, value_column, detail, skip_reason, problem_column, problem_value, problem, and the
--   organisation metadata org_name, org_type, cluster_group, benchmark_group, region_code,
--   region_name, ics_code, ics_name (docs/formats.md), window_end (a period's end month, for overlaps)
CREATE OR REPLACE TEMP TABLE staged AS
WITH source AS (
    SELECT NULL::VARCHAR AS source_row, NULL::VARCHAR AS org_code, NULL::VARCHAR AS period,
           NULL::VARCHAR AS year, NULL::VARCHAR AS staff_group, NULL::VARCHAR AS type,
           NULL::VARCHAR AS geography, NULL::VARCHAR AS org_name, NULL::VARCHAR AS org_type,
           NULL::VARCHAR AS cluster_group, NULL::VARCHAR AS benchmark_group, NULL::VARCHAR AS region_code,
           NULL::VARCHAR AS region_name, NULL::VARCHAR AS ics_code, NULL::VARCHAR AS ics_name,
           NULL::VARCHAR AS v_1, NULL::VARCHAR AS v_2, NULL::VARCHAR AS v_3, NULL::VARCHAR AS v_4,
           NULL::VARCHAR AS v_5, NULL::VARCHAR AS v_6, NULL::VARCHAR AS v_7, NULL::VARCHAR AS v_8,
           NULL::VARCHAR AS v_9, NULL::VARCHAR AS v_10, NULL::VARCHAR AS v_11, NULL::VARCHAR AS v_12,
           NULL::VARCHAR AS d_1, NULL::VARCHAR AS d_2, NULL::VARCHAR AS d_3, NULL::VARCHAR AS d_4,
           NULL::VARCHAR AS d_5, NULL::VARCHAR AS d_6, NULL::VARCHAR AS d_7, NULL::VARCHAR AS d_8,
           NULL::VARCHAR AS s_1, NULL::VARCHAR AS s_2,
           NULL::VARCHAR AS s_3, NULL::VARCHAR AS s_4, NULL::VARCHAR AS s_5
    WHERE false
    UNION ALL BY NAME
    SELECT * FROM wf_file($path, $skip, $columns)
),
file_rows AS (
    SELECT
        wf_row_no(source_row, file_row, $skip) AS row_no,
        wf_text(CASE WHEN $period_kind = 'survey_year' AND NOT list_contains($present, 'period') THEN year
                     ELSE period END) AS period_raw,
        CASE WHEN $org <> '' THEN $org ELSE upper(wf_text(org_code)) END AS org_code,
        CASE WHEN $staff_group_constant <> '' THEN $staff_group_constant
             WHEN list_contains($present, 'staff_group') THEN wf_text(staff_group)
             ELSE $all_staff_groups END AS staff_group,
        lower(wf_text(type)) AS type_key,
        CASE WHEN $detail_rows THEN CAST(wf_row_no(source_row, file_row, $skip) AS VARCHAR)
             ELSE concat_ws(' | ', nullif(wf_text(d_1), ''), nullif(wf_text(d_2), ''), nullif(wf_text(d_3), ''),
                            nullif(wf_text(d_4), ''), nullif(wf_text(d_5), ''), nullif(wf_text(d_6), ''),
                            nullif(wf_text(d_7), ''), nullif(wf_text(d_8), '')) END AS detail,
        CASE WHEN regexp_matches(lower(wf_text(geography)), '(england|national|region|ics|icb|stp|integrated care)')
             THEN 'an England, region or ICS aggregate row'
             WHEN contains(wf_text(org_code), '/') AND $org = ''
             THEN 'a result for several organisations together (e.g. 01T/01V), not one organisation''s'
             WHEN NOT list_bool_and([c = '' OR starts_with(c, 'all') FOR c IN
                      [lower(wf_text(s_1)), lower(wf_text(s_2)), lower(wf_text(s_3)), lower(wf_text(s_4)),
                       lower(wf_text(s_5))]])
             THEN 'a finer breakdown (AfC band, care setting, grade, age or nationality); the ''All …'' rows are loaded'
        END AS row_skip,
        wf_text(org_name) AS org_name, wf_text(org_type) AS org_type, wf_text(cluster_group) AS cluster_group,
        wf_text(benchmark_group) AS benchmark_group, wf_text(region_code) AS region_code,
        wf_text(region_name) AS region_name, upper(wf_text(ics_code)) AS ics_code, wf_text(ics_name) AS ics_name,
        [v_1, v_2, v_3, v_4, v_5, v_6, v_7, v_8, v_9, v_10, v_11, v_12] AS cells,
        false AS filled
    FROM source
),
periods AS (
    SELECT *,
        CASE WHEN $period_kind = 'range' THEN wf_month(split_part(lower(period_raw), ' to ', 1)) END AS start_month,
        CASE WHEN $period_kind = 'range' THEN wf_month(split_part(lower(period_raw), ' to ', 2))
             WHEN $period_kind = 'survey_year' AND TRY_CAST(period_raw AS INTEGER) BETWEEN 1990 AND 2200
                 THEN period_raw || '-10'
             ELSE wf_month(period_raw) END AS end_month
    FROM file_rows
),
absent AS (  -- a type left out for an organisation and staff group the file lists: zero
    SELECT k.row_no, k.period_raw, k.org_code, k.staff_group, t.type_key, '' AS detail, k.row_skip,
           k.org_name, k.org_type, k.cluster_group, k.benchmark_group, k.region_code, k.region_name,
           k.ics_code, k.ics_name, ['0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'] AS cells, true AS filled,
           k.start_month, k.end_month
    FROM (SELECT any_value(period_raw) AS period_raw, any_value(end_month) AS end_month, org_code, staff_group,
                 min(row_no) AS row_no, any_value(start_month) AS start_month, any_value(row_skip) AS row_skip,
                 any_value(org_name) AS org_name, any_value(org_type) AS org_type,
                 any_value(cluster_group) AS cluster_group, any_value(benchmark_group) AS benchmark_group,
                 any_value(region_code) AS region_code, any_value(region_name) AS region_name,
                 any_value(ics_code) AS ics_code, any_value(ics_name) AS ics_name,
                 list(DISTINCT type_key) AS types
          FROM periods WHERE $absent_is_zero  -- a range file: per period as written; else per month
          GROUP BY CASE WHEN $period_kind = 'range' THEN period_raw ELSE coalesce(end_month, period_raw) END,
                   org_code, staff_group) k
    CROSS JOIN (SELECT DISTINCT unnest($melt_type) AS type_key) t
    WHERE NOT list_contains(k.types, t.type_key)
),
all_rows AS (
    SELECT * FROM periods
    UNION ALL BY NAME
    SELECT * FROM absent
),
melts AS (
    SELECT unnest($melt_slot) AS slot, unnest($melt_type) AS type_key, unnest($melt_measure) AS measure,
           unnest($melt_kind) AS kind, unnest($melt_place) AS place
),
checked AS (
    SELECT r.*, m.slot, m.measure, m.kind, m.place,
        $period_kind <> 'range' OR (r.start_month IS NOT NULL AND r.end_month IS NOT NULL
            AND date_diff('month', strptime(r.start_month, '%Y-%m'), strptime(r.end_month, '%Y-%m')) = $period_months)
            AS period_ok,
        m.slot IS NULL OR m.slot = (SELECT min(slot) FROM melts WHERE list_contains($present, $slot_names[slot]))
            AS first_of_row,
        CASE WHEN m.slot IS NULL THEN coalesce(
                 $skip_type_reasons[list_position($skip_types, r.type_key)],
                 'a row type the dashboard does not load (''' || r.type_key || ''')') END AS type_skip
    FROM all_rows r
    LEFT JOIN melts m ON m.type_key = r.type_key AND list_contains($present, $slot_names[m.slot])
),
placed AS (
    SELECT c.*, k.k,
        CASE WHEN NOT period_ok THEN coalesce(end_month, period_raw)
             WHEN $period_kind <> 'range' THEN coalesce(end_month, period_raw)
             WHEN place = 'start' THEN start_month
             WHEN place = 'spread' THEN strftime(strptime(start_month, '%Y-%m') + to_months(k.k), '%Y-%m')
             ELSE end_month END AS period_text,
        CASE WHEN slot IS NULL THEN '' ELSE wf_text(cells[slot]) END AS cell_text,
        CASE WHEN $weight_slot > 0 THEN wf_number(wf_text(cells[$weight_slot])) END AS weight
    FROM checked c
    CROSS JOIN LATERAL (SELECT unnest(CASE WHEN c.place = 'spread' AND c.period_ok
                                           THEN range(1, $period_months + 1) ELSE [0] END) AS k) k
),
valued AS (
    SELECT *,
        CASE WHEN kind = 'money'
             THEN CASE WHEN regexp_full_match(replace(replace(cell_text, '£', ''), ' ', ''), '\(.*\)')
                       THEN -wf_number(replace(replace(cell_text, '£', ''), ' ', '')[2:-2])
                       ELSE wf_number(replace(replace(cell_text, '£', ''), ' ', '')) END
             ELSE wf_number(rtrim(cell_text, '%')) END AS amount
    FROM placed
),
money AS (  -- a money-out column written all zero or below: its signs dropped (grouped, not windowed: fast)
    SELECT measure, max(amount) <= 0 AS money_out
    FROM valued WHERE kind = 'money' AND measure <> 'levy_funds_available'
    GROUP BY measure
),
signed AS (
    SELECT v.*, coalesce(m.money_out, false) AS money_out
    FROM valued v LEFT JOIN money m USING (measure)
),
components AS (
    SELECT *,
        CASE WHEN slot IS NULL THEN ''
             WHEN kind IN ('count', 'money') AND amount IS NULL THEN cell_text
             WHEN kind IN ('count', 'money') AND place = 'spread' THEN CAST(amount / $period_months AS VARCHAR)
             WHEN kind = 'money' THEN CAST(CASE WHEN money_out THEN abs(amount) ELSE amount END AS VARCHAR)
             WHEN kind = 'count' THEN cell_text
             WHEN wf_missing(cell_text) THEN ''
             WHEN amount IS NULL THEN cell_text
             WHEN weight IS NULL THEN ''  -- respondents missing or wrong: reported on its own row
             WHEN kind = 'percent' THEN CAST(amount / 100 * weight AS VARCHAR)
             ELSE CAST(amount * weight AS VARCHAR) END AS value_text,
        CASE WHEN NOT period_ok THEN 'period'
             WHEN kind = 'score' AND NOT amount BETWEEN 0 AND 10 THEN $slot_names[slot]
             WHEN kind = 'percent' AND NOT amount BETWEEN 0 AND 100 THEN $slot_names[slot] END AS problem_column,
        CASE WHEN NOT period_ok THEN period_raw
             WHEN kind = 'score' AND NOT amount BETWEEN 0 AND 10 THEN cell_text
             WHEN kind = 'percent' AND NOT amount BETWEEN 0 AND 100 THEN cell_text END AS problem_value,
        CASE WHEN NOT period_ok AND (start_month IS NULL OR end_month IS NULL)
                 THEN 'is not a period of the form ''' ||
                      CASE WHEN $period_months = 1 THEN '202509 to 202510' ELSE '202403 to 202503' END || ''''
             WHEN NOT period_ok
                 THEN 'is not a ' || CASE WHEN $period_months = 1 THEN 'one-month period (e.g. ''202509 to 202510'')'
                                          ELSE $period_months || '-month period (e.g. ''202403 to 202503'')' END
             WHEN kind = 'score' AND NOT amount BETWEEN 0 AND 10 THEN 'is not a score between 0 and 10'
             WHEN kind = 'percent' AND NOT amount BETWEEN 0 AND 100 THEN 'is not a percentage between 0 and 100'
        END AS problem
    FROM signed
    WHERE period_ok OR first_of_row  -- a period that cannot be placed: one row carries the problem
)
SELECT
    row_no, period_text, org_code, staff_group, '' AS breakdown, '' AS breakdown_value,
    coalesce(measure, '') AS measure, value_text,
    coalesce($slot_names[slot], 'type') AS value_column, detail,
    coalesce(row_skip, type_skip,
             CASE WHEN $has_detail AND list_contains($not_additive, measure)
                  THEN 'their ' || measure || ' only (their FTE is loaded): ' || measure || ' in a file broken down below ' ||
                       'staff group is not added up (people in several roles would be counted twice)' END,
             CASE WHEN problem IS NULL AND NOT list_contains($measures, measure)
                  THEN 'a figure with no measure in config.yaml (add ' || measure || ' to measures to keep it)' END)
        AS skip_reason,
    problem_column, problem_value, problem,
    org_name, org_type, cluster_group, benchmark_group, region_code, region_name, ics_code, ics_name,
    CASE WHEN $period_kind = 'range' THEN end_month END AS window_end
FROM components
