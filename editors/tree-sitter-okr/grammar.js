/**
 * A tree-sitter grammar for `.okr` files, for highlighting.
 *
 * It reads one line at a time, as the reference grammar (grammar/okr.pest)
 * does: nesting (a `kr` under its `objective`) comes from indentation, which
 * only `okr check` and `okr lsp` interpret. It is more lenient than the
 * reference (attributes in any order, any word as a unit) so that every line
 * `okr` accepts gets a tree without ERROR nodes, and it reads the unfinished
 * lines of a file being typed (a string not closed yet, a `target` without
 * its level) without reaching into the next line; any other wrong line is an
 * ERROR of its own and the next line parses again.
 *
 * @file .okr grammar for tree-sitter
 * @license MIT
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

// `1,400`, `1.4k`, `-3`, `25%`: a count or percent; the unit word follows apart.
const NUMBER = /-?[0-9]+(,[0-9]{3})*(\.[0-9]+)?([kKmMbB]|%)?/;
const DATE = /[0-9]{4}-[0-9]{2}-[0-9]{2}/;

module.exports = grammar({
  name: 'okr',

  // Spaces and tabs separate tokens; a byte-order mark may start the file.
  extras: $ => [/[ \t\uFEFF]/, $.comment],

  word: $ => $.identifier,

  rules: {
    source_file: $ => seq(
      repeat(seq(optional($._statement), $._newline)),
      optional($._statement),
    ),

    _newline: _ => /\r?\n/,

    comment: _ => token(seq('#', /[^\r\n]*/)),

    _statement: $ => choice(
      $.period_statement,
      $.team_statement,
      $.cadence_statement,
      $.segment_statement,
      $.funnel_statement,
      $.stage_statement,
      $.objective_statement,
      $.why_statement,
      $.aligns_statement,
      $.type_statement,
      $.rollup_statement,
      $.grade_statement,
      $.key_result,
      $.attribute_statement,
      $.checkin,
      $.initiative,
    ),

    // ------------------------------------------------------------ header --

    period_statement: $ => seq('period', $.period),
    team_statement: $ => seq('team', field('id', $.identifier), optional(field('title', $.string))),
    cadence_statement: $ => seq('cadence', $.cadence),
    cadence: $ => choice('weekly', 'biweekly', 'monthly', $._days),
    _days: _ => /[0-9]+d/,

    // ------------------------------------------------------------ blocks --

    segment_statement: $ => seq(
      'segment',
      field('id', $.identifier),
      optional(seq(field('title', $.string), 'size', $._quantity)),
    ),
    funnel_statement: $ => seq('funnel', field('id', $.identifier), optional(field('title', $.string))),
    stage_statement: $ => seq(
      'stage',
      field('id', $.identifier),
      field('title', $.string),
      repeat(choice($.conversion, $.value)),
    ),
    conversion: $ => seq('conversion', $._quantity),
    value: $ => seq('value', $._quantity),

    objective_statement: $ => seq('objective', field('id', $.identifier), field('title', $.string)),
    why_statement: $ => seq('why', $.string),
    aligns_statement: $ => seq('aligns', commaSep1($.reference)),
    type_statement: $ => seq('type', $.objective_type),
    objective_type: _ => choice('committed', 'aspirational'),
    rollup_statement: _ => 'rollup',
    grade_statement: $ => seq('grade', $._quantity, optional($.string)),

    key_result: $ => seq(
      'kr',
      field('id', $.identifier),
      field('title', $.string),
      field('target', $.target),
      repeat($._kr_attribute),
    ),
    // A level not written yet (`target` then `stage …`, as while typing) is
    // left out rather than taken from the next line; `okr` reports it.
    target: $ => choice(
      'milestone',
      seq('hold', optional($.band)),
      seq('target', optional(choice($.relative, seq(optional($.direction), $._quantity)))),
    ),
    direction: _ => choice('<=', '>=', '<', '>'),
    // A sign right after `target` makes it relative, so these win over a
    // negative number there.
    relative: $ => seq($.change, optional(seq('over', $._quantity))),
    change: _ => token(prec(1, choice(
      /[+-][0-9]+(,[0-9]{3})*(\.[0-9]+)?(pp|%)/,
      /x[0-9]+(,[0-9]{3})*(\.[0-9]+)?/,
    ))),
    band: $ => choice(
      seq($._quantity, '..', $._quantity),
      seq($.direction, $._quantity),
    ),

    attribute_statement: $ => repeat1($._kr_attribute),
    _kr_attribute: $ => choice($.baseline, $.weight, $.owner, $.stage_ref, $.due),
    baseline: $ => seq('baseline', choice('unknown', $._quantity)),
    weight: $ => seq('weight', $.number),
    owner: $ => seq('owner', repeat1($.handle)),
    stage_ref: $ => seq('stage', $.reference),
    due: $ => seq('due', $.date),

    checkin: $ => seq(
      $.date,
      choice($._quantity, $.milestone_state),
      optional($.confidence),
      optional(field('note', $.string)),
      optional($.handle),
    ),
    milestone_state: _ => choice('done', 'pending'),
    confidence: $ => seq('confidence', $._quantity),

    initiative: $ => seq(
      'initiative',
      optional(field('id', $.identifier)),
      field('title', $.string),
      repeat(choice($.owner, $.status, $.due)),
    ),
    status: $ => seq('status', $.initiative_status),
    initiative_status: _ => choice('planned', 'active', 'done', 'dropped'),

    // ------------------------------------------------------------ tokens --

    // Lowercase in the language; a unit word may be any word, so one token
    // serves both (and lets keywords be told apart from words).
    identifier: _ => /[A-Za-z][A-Za-z0-9_-]*/,

    reference: $ => seq(
      optional(seq(field('team', $.identifier), token.immediate('/'))),
      field('id', $.identifier),
      optional(seq(token.immediate('.'), field('child', alias($._immediate_identifier, $.identifier)))),
    ),
    _immediate_identifier: _ => token.immediate(/[a-z][a-z0-9_-]*/),

    // A string not closed yet (as while it is being typed) ends with its line,
    // rather than taking the next line's quote as its end; `okr` reports it.
    string: _ => token(seq('"', repeat(choice(/[^"\\\r\n]+/, /\\[^\r\n]/)), optional('"'))),

    handle: _ => /@[A-Za-z0-9_.-]+/,

    date: _ => DATE,

    period: _ => choice(
      token(seq(DATE, '..', DATE)),
      /[0-9]{4}-Q[1-4]/,
      /[0-9]{4}-H[12]/,
      /[0-9]{4}/,
    ),

    _quantity: $ => choice(seq($.number, optional(alias($.identifier, $.unit))), $.money),
    number: _ => NUMBER,
    money: _ => token(seq(
      choice(/[$€£¥]/, /[A-Z]{3} +/),
      NUMBER,
    )),
  },
});

/**
 * One or more `rule`s separated by commas.
 *
 * @param {RuleOrLiteral} rule
 * @returns {SeqRule}
 */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}
