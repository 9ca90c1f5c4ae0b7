
use builtin;
use str;

set edit:completion:arg-completer[telev] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'telev'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'telev'= {
            cand -o 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to use colors (an explicit `always` wins over NO_COLOR)'
            cand --time-format 'How times are shown [default: the time of day, with the date when not today]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --utc 'Show times in UTC rather than the local zone'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand tail 'Connect to a streaming provider and print events as they arrive'
            cand listen 'Run a local webhook receiver and print each delivered event'
            cand replay 'Re-emit captured events: print, deliver to a webhook, or serve as SSE'
            cand filter 'Run a jq expression over NDJSON, like `jq -c`'
            cand config 'Show the config file''s path and which settings are in force, and where each came from (tokens only as set or unset)'
            cand completions 'Print the completion script for a shell (bash, zsh, fish, powershell, elvish)'
            cand man 'Print a man page: telev''s, or a command''s (telev man tail)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'telev;tail'= {
            cand --only 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)'
            cand --filter 'jq expression run on each envelope: `true` keeps, `false`/`null` drops, other outputs print'
            cand --record 'Append every received event''s envelope to FILE (before --only/--filter)'
            cand --count 'Stop after N printed events'
            cand --timeout 'Stop after this long (2s, 500ms, 1m30s)'
            cand --url 'Base URL instead of the provider''s (a mock, a proxy)'
            cand --token 'API token [env: TELEV_CYTRACOM_TOKEN; or `token` in the config file]'
            cand --method 'HTTP method [default: GET, switching to POST on 405]'
            cand --queue-ids 'Queue ids for the queue stream (comma-separated), passed to the server as queue_ids'
            cand --idle-timeout 'Reconnect when no byte arrives for this long'
            cand --max-event 'Largest event taken (bytes, or with a KiB/MiB suffix); a larger one ends the run'
            cand --last-event-id 'Start after this event id (sent as Last-Event-ID)'
            cand --resume 'Start after the last event recorded in CAPTURE (pairs with --record CAPTURE; a capture not there yet starts from the present)'
            cand --max-retries 'Give up after N failed reconnects in a row [default: never]'
            cand --rate 'Demo only: events per second'
            cand -o 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to use colors (an explicit `always` wins over NO_COLOR)'
            cand --time-format 'How times are shown [default: the time of day, with the date when not today]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --utc 'Show times in UTC rather than the local zone'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'telev;listen'= {
            cand --port 'Port to listen on (0 picks a free one)'
            cand --bind 'Address to bind'
            cand --path 'Accept requests only under this path'
            cand --forward-to 'Relay each request unchanged to your app and answer with its response'
            cand --only 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)'
            cand --filter 'jq expression run on each envelope: `true` keeps, `false`/`null` drops, other outputs print'
            cand --record 'Append every received event''s envelope to FILE (before --only/--filter)'
            cand --count 'Stop after N printed events'
            cand --timeout 'Stop after this long (2s, 500ms, 1m30s)'
            cand --verification-token 'RingCentral: reject notifications whose Verification-Token differs'
            cand --basic-auth 'Require HTTP Basic auth from senders'
            cand --bearer 'Require `Authorization: Bearer TOKEN` from senders'
            cand --max-body 'Largest accepted body (bytes, or with a KiB/MiB suffix)'
            cand --max-body-memory 'Request bodies held in memory at once, all requests together; beyond it new ones get 503 with Retry-After'
            cand --max-connections 'Connections open at once; more wait their turn'
            cand --host 'A name senders reach the listener by (a tunnel''s: abc.trycloudflare.com); a request for another name than these and localhost gets 421 (repeatable)'
            cand --allow-origin 'Accept requests a web page on this origin sends (https://app.example); others that carry an Origin get 403 (repeatable)'
            cand -o 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to use colors (an explicit `always` wins over NO_COLOR)'
            cand --time-format 'How times are shown [default: the time of day, with the date when not today]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]'
            cand --dedup 'Leave a provider''s repeats of an event out of the output and the forwards (they are recorded, answered, and counted all the same)'
            cand --keep-secrets 'Record and show Authorization, Proxy-Authorization and Cookie headers as they came (the default writes `[redacted]`; the credential telev checks is never kept)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --utc 'Show times in UTC rather than the local zone'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'telev;replay'= {
            cand --speed 'Pace: a factor (10 = ten times faster) or `max`'
            cand --to 'Deliver each event to this webhook URL in its provider''s native format'
            cand --serve 'Serve the capture as Cytracom-shaped SSE at ADDR (host:port)'
            cand --only 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)'
            cand --filter 'jq expression run on each envelope: `true` keeps, `false`/`null` drops, other outputs print'
            cand --record 'Append every received event''s envelope to FILE (before --only/--filter)'
            cand --count 'Stop after N printed events'
            cand --timeout 'Stop after this long (2s, 500ms, 1m30s)'
            cand --provider 'Whose payloads plain payload files hold'
            cand --clock 'Which time paces the replay'
            cand --max-gap 'Shorten idle stretches longer than this'
            cand --since 'Only events at or after this time (RFC 3339)'
            cand --until 'Only events before this time (RFC 3339)'
            cand --concurrency 'Deliveries in flight at once with --to'
            cand --retries 'Retries per delivery on connection errors and 5xx'
            cand --token 'With --serve: require HTTP Basic auth with this token (user `token`)'
            cand --heartbeat 'With --serve: how often an open stream past the capture''s end gets a heartbeat comment'
            cand -o 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to use colors (an explicit `always` wins over NO_COLOR)'
            cand --time-format 'How times are shown [default: the time of day, with the date when not today]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]'
            cand --skip-invalid 'Report and skip invalid lines instead of stopping'
            cand --loop 'With --serve: start over at the end (without it, a stream stays open with heartbeats)'
            cand --calls 'Print one row per call instead of the events'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --utc 'Show times in UTC rather than the local zone'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'telev;filter'= {
            cand --only 'Keep values whose type, type suffix or kind matches (comma-separated, repeatable)'
            cand --arg 'Bind $NAME to the string VALUE'
            cand -f 'Read the expression from FILE (every positional argument is then an input)'
            cand --from-file 'Read the expression from FILE (every positional argument is then an input)'
            cand -L 'Look for `import`ed and `include`d modules (and `.json` data) in DIR (repeatable)'
            cand --argjson 'Bind $NAME to the JSON value TEXT'
            cand --slurpfile 'Bind $NAME to an array of the JSON values in FILE'
            cand --rawfile 'Bind $NAME to the text of FILE'
            cand --indent 'Pretty-print with N spaces a level (0: compact, the default; at most 7)'
            cand -o 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to use colors (an explicit `always` wins over NO_COLOR)'
            cand --time-format 'How times are shown [default: the time of day, with the date when not today]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]'
            cand -r 'Print strings without quotes'
            cand --raw-output 'Print strings without quotes'
            cand -c 'Compact output, as jq -c prints: the default (--indent or --tab pretty-print)'
            cand --compact-output 'Compact output, as jq -c prints: the default (--indent or --tab pretty-print)'
            cand -n 'Run the expression once with `null` as input'
            cand --null-input 'Run the expression once with `null` as input'
            cand -s 'Read every input into one array and run the expression once on it'
            cand --slurp 'Read every input into one array and run the expression once on it'
            cand -R 'Each line of input is a string (with -s: all of it, one string)'
            cand --raw-input 'Each line of input is a string (with -s: all of it, one string)'
            cand -e 'Exit 1 when the last output is false or null, 4 when there is none'
            cand --exit-status 'Exit 1 when the last output is false or null, 4 when there is none'
            cand --args 'The arguments after the expression are strings in $ARGS.positional, not files'
            cand --jsonargs 'The arguments after the expression are JSON values in $ARGS.positional, not files'
            cand -j 'Strings without quotes and no newline after each output'
            cand --join-output 'Strings without quotes and no newline after each output'
            cand -a 'Every character outside ASCII as a \uXXXX escape'
            cand --ascii-output 'Every character outside ASCII as a \uXXXX escape'
            cand -S 'Object keys in order'
            cand --sort-keys 'Object keys in order'
            cand --tab 'Pretty-print with a tab a level'
            cand --seq 'Each output after an ASCII record separator (RFC 7464)'
            cand -C 'Colors, as jq''s -C (same as --color always)'
            cand --color-output 'Colors, as jq''s -C (same as --color always)'
            cand -M 'No colors, as jq''s -M (same as --color never)'
            cand --monochrome-output 'No colors, as jq''s -M (same as --color never)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --utc 'Show times in UTC rather than the local zone'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'telev;config'= {
            cand -o 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to use colors (an explicit `always` wins over NO_COLOR)'
            cand --time-format 'How times are shown [default: the time of day, with the date when not today]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --utc 'Show times in UTC rather than the local zone'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'telev;completions'= {
            cand -o 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to use colors (an explicit `always` wins over NO_COLOR)'
            cand --time-format 'How times are shown [default: the time of day, with the date when not today]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --utc 'Show times in UTC rather than the local zone'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'telev;man'= {
            cand -o 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --output 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to use colors (an explicit `always` wins over NO_COLOR)'
            cand --time-format 'How times are shown [default: the time of day, with the date when not today]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --utc 'Show times in UTC rather than the local zone'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'telev;help'= {
            cand tail 'Connect to a streaming provider and print events as they arrive'
            cand listen 'Run a local webhook receiver and print each delivered event'
            cand replay 'Re-emit captured events: print, deliver to a webhook, or serve as SSE'
            cand filter 'Run a jq expression over NDJSON, like `jq -c`'
            cand config 'Show the config file''s path and which settings are in force, and where each came from (tokens only as set or unset)'
            cand completions 'Print the completion script for a shell (bash, zsh, fish, powershell, elvish)'
            cand man 'Print a man page: telev''s, or a command''s (telev man tail)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'telev;help;tail'= {
        }
        &'telev;help;listen'= {
        }
        &'telev;help;replay'= {
        }
        &'telev;help;filter'= {
        }
        &'telev;help;config'= {
        }
        &'telev;help;completions'= {
        }
        &'telev;help;man'= {
        }
        &'telev;help;help'= {
        }
    ]
    $completions[$command]
}
