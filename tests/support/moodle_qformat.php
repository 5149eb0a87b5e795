<?php
// Moodle's own question-bank parsers, run from the installed site, for tests/test_import_moodle_parity.py.
//
//   php moodle_qformat.php <moodle dir> parse <gift|aiken> <bank file>...
//       prints {"<bank file>": {"questions": [...], "errors": "..."}} as JSON: what Moodle's
//       readquestions() makes of each file (its error messages, echoed as HTML, are captured).
//   php moodle_qformat.php <moodle dir> cases <test file>
//       prints [{"test": name, "text": bank}] for every `$gift = '...'` literal in a Moodle unit
//       test, read with PHP's own tokenizer so quoting and escapes mean exactly what they mean in PHP.
//   php moodle_qformat.php <moodle dir> grades
//       prints the answer fractions Moodle's question import accepts.
define('CLI_SCRIPT', true);
$moodledir = $argv[1];
$mode = $argv[2];

if ($mode === 'cases') {
    echo json_encode(literal_cases(file_get_contents($argv[3])), JSON_PRETTY_PRINT);
    exit(0);
}

require($moodledir . '/config.php');
require_once($CFG->libdir . '/questionlib.php');
require_once($CFG->dirroot . '/question/format.php');
if ($mode === 'grades') {
    // The only fractions Moodle's question import accepts (qformat_default::importprocess, matchgrades 'error').
    echo json_encode(array_map('floatval', array_keys(question_bank::fraction_options_full())));
    exit(0);
}
$format = $argv[3];
require_once($CFG->dirroot . "/question/format/{$format}/format.php");
// readquestions() is protected in the base class: a subclass makes it callable.
eval("class ccm_reader extends qformat_{$format} { public function read_all(\$lines) { return \$this->readquestions(\$lines); } }");

$results = [];
foreach (array_slice($argv, 4) as $bankfile) {
    $reader = new ccm_reader();
    ob_start();
    $questions = $reader->read_all(file($bankfile));
    $errors = trim(html_entity_decode(strip_tags(ob_get_clean())));
    $results[$bankfile] = ['questions' => array_values($questions ?: []), 'errors' => $errors];
}
echo json_encode($results, JSON_PRETTY_PRINT | JSON_PARTIAL_OUTPUT_ON_ERROR);

function literal_cases(string $source): array {
    $tokens = token_get_all($source);
    $cases = [];
    $test = '';
    $count = count($tokens);
    for ($i = 0; $i < $count; $i++) {
        $token = $tokens[$i];
        if (is_array($token) && $token[0] === T_FUNCTION) {
            $name = next_significant($tokens, $i);
            $test = is_array($tokens[$name]) ? $tokens[$name][1] : '';
        }
        if (!is_array($token) || $token[0] !== T_VARIABLE || $token[1] !== '$gift') {
            continue;
        }
        $equals = next_significant($tokens, $i);
        if ($tokens[$equals] !== '=') {
            continue;
        }
        $value = next_significant($tokens, $equals);
        $after = next_significant($tokens, $value);
        if (is_array($tokens[$value]) && $tokens[$value][0] === T_CONSTANT_ENCAPSED_STRING && $tokens[$after] === ';') {
            $cases[] = ['test' => $test, 'text' => eval('return ' . $tokens[$value][1] . ';')];
        }
    }
    return $cases;
}

function next_significant(array $tokens, int $i): int {
    for ($j = $i + 1; $j < count($tokens); $j++) {
        if (!is_array($tokens[$j]) || !in_array($tokens[$j][0], [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT])) {
            return $j;
        }
    }
    return $j;
}
