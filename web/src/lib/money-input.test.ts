import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMoneyInput } from './money-input.ts';

const minor = (text: string, currency = 'USD', locale = 'en-US') => {
  const result = parseMoneyInput(text, currency, locale);
  assert.ok(
    result.ok,
    `expected “${text}” (${locale}, ${currency}) to read, got: ${result.ok ? '' : result.problem}`,
  );
  return result.minor;
};
const problem = (text: string, currency = 'USD', locale = 'en-US') => {
  const result = parseMoneyInput(text, currency, locale);
  assert.ok(
    !result.ok,
    `expected “${text}” (${locale}, ${currency}) to be refused, read ${result.ok ? result.minor : ''}`,
  );
  return result.problem;
};

describe('parseMoneyInput in en-US (the default)', () => {
  test('a comma between thousands is a thousands separator: 1,000 is one thousand dollars', () => {
    assert.equal(minor('1,000'), 100000);
    assert.equal(minor('1,000.00'), 100000);
    assert.equal(minor('12,345,678.9'), 1234567890);
    assert.equal(parseMoneyInput('1,000', 'USD').ok, true);
  });

  test('plain amounts, with or without cents, a pasted currency sign and spaces around', () => {
    assert.equal(minor('22'), 2200);
    assert.equal(minor('22.5'), 2250);
    assert.equal(minor('0.01'), 1);
    assert.equal(minor('.5'), 50);
    assert.equal(minor('22.'), 2200);
    assert.equal(minor(' $1,000.00 '), 100000);
    assert.equal(minor('1000 USD'), 100000);
  });

  test('22,00 is refused, not read as $22 nor as $2,200', () => {
    assert.match(
      problem('22,00'),
      /write it like 1,234\.56 \(“,” between thousands, “\.” before the decimals\)/,
    );
  });

  test('1.000,00 (a European way of writing one thousand) is refused', () => {
    assert.match(problem('1.000,00'), /does not read as one amount/);
  });

  test('12.345 is refused: dollars have two decimals, and it may mean twelve thousand', () => {
    assert.equal(
      problem('12.345'),
      'An amount in USD has at most 2 decimals: “12.345” cannot be read exactly.',
    );
    assert.match(problem('0.001'), /at most 2 decimals/);
  });

  test('negative, zero, empty and words are refused with a sentence', () => {
    assert.equal(problem('-5'), 'Enter an amount greater than zero.');
    assert.equal(problem('−5'), 'Enter an amount greater than zero.');
    assert.equal(problem('5-'), 'Enter an amount greater than zero.');
    assert.equal(problem('0'), 'Enter an amount greater than zero.');
    assert.equal(problem('0.00'), 'Enter an amount greater than zero.');
    assert.equal(problem('   '), 'Enter an amount.');
    assert.equal(problem('ten'), 'Enter the amount in figures, like 1,234.56.');
    assert.match(problem('1e3'), /does not read as one amount/);
    assert.match(problem('1.2.3'), /does not read as one amount/);
    assert.match(problem(','), /does not read as one amount/);
    assert.match(problem('1 000'), /does not read as one amount/);
  });

  test('thousands separators only where they belong', () => {
    assert.match(problem('1,0000'), /does not read/);
    assert.match(problem(',100'), /does not read/);
    assert.match(problem('1,,000'), /does not read/);
    assert.match(problem('10,00.5'), /does not read/);
  });

  test('amounts past what a number holds exactly are refused', () => {
    assert.equal(problem('999999999999999999'), 'That amount is too large.');
  });
});

describe('parseMoneyInput in other locales and currencies', () => {
  test('de-DE: 1.000,00 and 22,00 read as the Germans write them; 1,000 has too many decimals', () => {
    assert.equal(minor('1.000,00', 'EUR', 'de-DE'), 100000);
    assert.equal(minor('22,00', 'EUR', 'de-DE'), 2200);
    assert.equal(minor('12.345', 'EUR', 'de-DE'), 1234500);
    assert.equal(minor('1.000,00 €', 'EUR', 'de-DE'), 100000);
    assert.match(problem('1,000', 'EUR', 'de-DE'), /at most 2 decimals/);
    assert.match(problem('22.00', 'EUR', 'de-DE'), /write it like 1\.234,56/);
  });

  test('fr-FR groups with a narrow space: any space a person types stands for it', () => {
    assert.equal(minor('1 000,50', 'EUR', 'fr-FR'), 100050);
    assert.equal(minor('1\u202f000,50', 'EUR', 'fr-FR'), 100050);
    assert.match(problem('10 00', 'EUR', 'fr-FR'), /a space between thousands/);
  });

  test('en-IN groups by two after the first three', () => {
    assert.equal(minor('1,00,000', 'INR', 'en-IN'), 10000000);
    assert.match(problem('100,000', 'INR', 'en-IN'), /does not read/);
  });

  test('a currency without decimals (JPY) refuses any, and one with three (BHD) takes three', () => {
    assert.equal(minor('1,000', 'JPY'), 1000);
    assert.equal(
      problem('1,000.5', 'JPY'),
      'An amount in JPY has no decimals: “1,000.5” cannot be read exactly.',
    );
    assert.equal(minor('1.234', 'BHD'), 1234);
    assert.match(problem('1.2345', 'BHD'), /at most 3 decimals/);
  });
});
