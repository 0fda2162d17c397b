; Highlights for .okr files. The source of every editor's copy: run
; editors/sync-queries.sh after changing it.

(comment) @comment

(string) @string

[
  "period"
  "team"
  "owner"
  "cadence"
  "segment"
  "size"
  "funnel"
  "stage"
  "conversion"
  "value"
  "objective"
  "why"
  "aligns"
  "type"
  "kr"
  "target"
  "baseline"
  "weight"
  "due"
  "milestone"
  "confidence"
  "initiative"
  "status"
  "hold"
  "grade"
  "over"
  (rollup_statement)
] @keyword

[
  "committed"
  "aspirational"
  "done"
  "pending"
  "planned"
  "active"
  "dropped"
  "unknown"
  (cadence)
] @constant.builtin

; What a statement defines, and what a reference names.
(team_statement id: (identifier) @label)
(segment_statement id: (identifier) @label)
(funnel_statement id: (identifier) @label)
(stage_statement id: (identifier) @label)
(objective_statement id: (identifier) @label)
(key_result id: (identifier) @label)
(initiative id: (identifier) @label)
(reference team: (identifier) @label)
(reference id: (identifier) @label)
(reference child: (identifier) @label)

[
  (number)
  (money)
  (change)
] @number

(unit) @type

[
  (date)
  (period)
] @string.special

(handle) @constant

[
  (direction)
  ".."
] @operator

[
  ","
  "/"
  "."
] @punctuation.delimiter
