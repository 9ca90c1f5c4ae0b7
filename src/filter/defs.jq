# What jq has and jaq lacks, written in jq, from jq's manual.
def have_decnum: false;
def have_literal_numbers: true;
def trimstr($x): ltrimstr($x) | rtrimstr($x);
def IN(s): any(s == .; .);
def IN(source; s): any(source == s; .);
def INDEX(stream; key): reduce stream as $row ({}; .[$row | key | tostring] |= $row);
def INDEX(key): INDEX(.[]; key);
def JOIN($index; key): [.[] | [., $index[key]]];
def JOIN($index; stream; key): stream | [., $index[key]];
def JOIN($index; stream; key; f): stream | [., $index[key]] | f;
def toboolean:
  if type == "boolean" then .
  elif . == "true" then true
  elif . == "false" then false
  else error("\(type) (\(tojson)) cannot be parsed as a boolean")
  end;
def ascii: [.] | implode;
def @csv:
  if type != "array" then error("\(type) (\(tojson)) cannot be csv-formatted, only an array can be")
  else map(
    if type == "string" then "\"" + (split("\"") | join("\"\"")) + "\""
    elif type == "number" or type == "boolean" then tostring
    elif type == "null" then ""
    else error("\(type) (\(tojson)) is not valid in a csv row")
    end) | join(",")
  end;
def @tsv:
  if type != "array" then error("\(type) (\(tojson)) cannot be tsv-formatted, only an array can be")
  else map(
    if type == "string" then
      split("\\") | join("\\\\") | split("\t") | join("\\t")
      | split("\n") | join("\\n") | split("\r") | join("\\r")
    elif type == "number" or type == "boolean" then tostring
    elif type == "null" then ""
    else error("\(type) (\(tojson)) is not valid in a tsv row")
    end) | join("\t")
  end;
# An entry's key may be spelled key, k, name, Name, K or Key; its value value, v or Value.
def from_entries:
  reduce .[] as $entry ({};
    ($entry | if type == "object" then
        [.key, .k, .name, .Name, .K, .Key] | map(select(. != null)) | .[0]
      else . end) as $key
    | ($entry | if type == "object" then
        if has("value") then .value elif has("v") then .v else .Value end
      else null end) as $value
    | .[$key | if type == "string" then . else tojson end] = $value);
def ltrimstr($x):
  if type == "string" and ($x | type) == "string" then
    if startswith($x) then .[($x | length):] else . end
  elif type != "string" or ($x | type) != "string" then error("startswith() requires string inputs")
  else . end;
def rtrimstr($x):
  if type == "string" and ($x | type) == "string" then
    if endswith($x) and ($x | length) > 0 then .[:length - ($x | length)] else . end
  else error("endswith() requires string inputs") end;
def @base32: tostring | encode_base32;
def @base32d: tostring | decode_base32;
# jq's halt_error: a string as it is, anything else as JSON and a newline; then the exit code.
def halt_error($code): (if type == "string" then . else tojson + "\n" end | stderr_empty), halt($code);
def halt_error: halt_error(5);
# jq's input: the next input, or an error when there is none.
def input: label $out | (inputs | ., break $out), error("No more inputs");
# jq's limit, skip and nth refuse a negative count; each count of a generator counts apart.
def limit($n; f): if $n < 0 then error("limit doesn't support negative count") else _limit($n; f) end;
def skip($n; f): if $n < 0 then error("skip doesn't support negative count") else _skip($n; f) end;
def nth($n; f): if $n < 0 then error("nth doesn't support negative indices") else first(_skip($n; f)) end;
# jq's setpath: a path through null builds what it needs, and an index past an array's end
# grows the array with nulls (jaq's refuses both).
def setpath($p; $v):
  if ($p | type) != "array" then error("Path must be specified as an array")
  elif ($p | length) == 0 then $v
  else $p[0] as $k
    | (if . == null then (if ($k | type) == "number" then [] else {} end) else . end)
    | (if type == "array" and ($k | type) == "number" and $k >= length
       then . + [range(length; $k + 1) | null] else . end)
    | .[$k] |= setpath($p[1:]; $v)
  end;
def pick(pathexps): . as $top | reduce path(pathexps) as $p (null; setpath($p; $top | getpath($p)));
