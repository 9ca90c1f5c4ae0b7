
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'telev' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'telev'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'telev' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Connect to a streaming provider and print events as they arrive')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Run a local webhook receiver and print each delivered event')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-emit captured events: print, deliver to a webhook, or serve as SSE')
            [CompletionResult]::new('filter', 'filter', [CompletionResultType]::ParameterValue, 'Run a jq expression over NDJSON, like `jq -c`')
            [CompletionResult]::new('calls', 'calls', [CompletionResultType]::ParameterValue, 'Calls in captures: one row per call, or one call''s story (--call)')
            [CompletionResult]::new('mask', 'mask', [CompletionResultType]::ParameterValue, 'Replace phone numbers, names and e-mail addresses in captures with stable stand-ins, to share them')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check captures for calls whose events cannot be right: no end, steps after the end, times that go backwards, duplicates, events missed across a reconnect')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the config file''s path and which settings are in force, and where each came from (tokens only as set or unset)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page: telev''s, or a command''s (telev man tail)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'telev;tail' {
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'jq expression run on each envelope: `true` keeps, `false`/`null` drops, other outputs print')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Append every received event''s envelope to FILE (before --only/--filter)')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'Publish every received envelope to NATS JetStream: nats://[USER:PASS@]HOST:PORT/SUBJECT (SUBJECT may hold {provider}, {kind}, {call_id}; default telev.{provider}.{kind})')
            [CompletionResult]::new('--publish-stream', '--publish-stream', [CompletionResultType]::ParameterName, 'The JetStream stream to create when none holds --publish''s subjects')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after N printed events')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop after this long (2s, 500ms, 1m30s)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Base URL instead of the provider''s (a mock, a proxy); for nats, nats://HOST:PORT')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [env: TELEV_CYTRACOM_TOKEN; or `token` in the config file]')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method [default: GET, switching to POST on 405]')
            [CompletionResult]::new('--queue-ids', '--queue-ids', [CompletionResultType]::ParameterName, 'Queue ids for the queue stream (comma-separated), passed to the server as queue_ids')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Reconnect when no byte arrives for this long')
            [CompletionResult]::new('--max-event', '--max-event', [CompletionResultType]::ParameterName, 'Largest event taken (bytes, or with a KiB/MiB suffix); a larger one ends the run')
            [CompletionResult]::new('--last-event-id', '--last-event-id', [CompletionResultType]::ParameterName, 'Start after this event id (sent as Last-Event-ID)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Start after the last event recorded in CAPTURE (pairs with --record CAPTURE; a capture not there yet starts from the present)')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Give up after N failed reconnects in a row [default: never]')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'nats: the subject to read (wildcards allowed)')
            [CompletionResult]::new('--durable', '--durable', [CompletionResultType]::ParameterName, 'nats: the durable consumer, which remembers where a run stopped [default: telev-SUBJECT]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'nats: a new durable starts at the first message stored at or after TIME (RFC 3339)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Demo only: events per second')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Show phone numbers, names and e-mail addresses as stable stand-ins, in the envelope, `raw` and `wire` (what --record keeps is what arrived; `telev mask` masks a capture)')
            [CompletionResult]::new('--from-start', '--from-start', [CompletionResultType]::ParameterName, 'nats: a new durable starts at the stream''s first message (default: at new ones)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'telev;listen' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on (0 picks a free one)')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to bind')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Accept requests only under this path')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'Relay each request unchanged to your app and answer with its response')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'jq expression run on each envelope: `true` keeps, `false`/`null` drops, other outputs print')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Append every received event''s envelope to FILE (before --only/--filter)')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'Publish every received envelope to NATS JetStream: nats://[USER:PASS@]HOST:PORT/SUBJECT (SUBJECT may hold {provider}, {kind}, {call_id}; default telev.{provider}.{kind})')
            [CompletionResult]::new('--publish-stream', '--publish-stream', [CompletionResultType]::ParameterName, 'The JetStream stream to create when none holds --publish''s subjects')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after N printed events')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop after this long (2s, 500ms, 1m30s)')
            [CompletionResult]::new('--verification-token', '--verification-token', [CompletionResultType]::ParameterName, 'RingCentral: reject notifications whose Verification-Token differs')
            [CompletionResult]::new('--basic-auth', '--basic-auth', [CompletionResultType]::ParameterName, 'Require HTTP Basic auth from senders')
            [CompletionResult]::new('--bearer', '--bearer', [CompletionResultType]::ParameterName, 'Require `Authorization: Bearer TOKEN` from senders')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest accepted body (bytes, or with a KiB/MiB suffix)')
            [CompletionResult]::new('--max-body-memory', '--max-body-memory', [CompletionResultType]::ParameterName, 'Request bodies held in memory at once, all requests together; beyond it new ones get 503 with Retry-After')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections open at once; more wait their turn')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'A name senders reach the listener by (a tunnel''s: abc.trycloudflare.com); a request for another name than these and localhost gets 421 (repeatable)')
            [CompletionResult]::new('--allow-origin', '--allow-origin', [CompletionResultType]::ParameterName, 'Accept requests a web page on this origin sends (https://app.example); others that carry an Origin get 403 (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Show phone numbers, names and e-mail addresses as stable stand-ins, in the envelope, `raw` and `wire` (what --record keeps is what arrived; `telev mask` masks a capture)')
            [CompletionResult]::new('--dedup', '--dedup', [CompletionResultType]::ParameterName, 'Leave a provider''s repeats of an event out of the output and the forwards (they are recorded, answered, and counted all the same)')
            [CompletionResult]::new('--keep-secrets', '--keep-secrets', [CompletionResultType]::ParameterName, 'Record and show Authorization, Proxy-Authorization and Cookie headers as they came (the default writes `[redacted]`; the credential telev checks is never kept)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'telev;replay' {
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'Pace: a factor (10 = ten times faster) or `max`')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Deliver each event to this webhook URL in its provider''s native format')
            [CompletionResult]::new('--serve', '--serve', [CompletionResultType]::ParameterName, 'Serve the capture as Cytracom-shaped SSE at ADDR (host:port)')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'jq expression run on each envelope: `true` keeps, `false`/`null` drops, other outputs print')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Append every received event''s envelope to FILE (before --only/--filter)')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'Publish every received envelope to NATS JetStream: nats://[USER:PASS@]HOST:PORT/SUBJECT (SUBJECT may hold {provider}, {kind}, {call_id}; default telev.{provider}.{kind})')
            [CompletionResult]::new('--publish-stream', '--publish-stream', [CompletionResultType]::ParameterName, 'The JetStream stream to create when none holds --publish''s subjects')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after N printed events')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop after this long (2s, 500ms, 1m30s)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Whose payloads plain payload files hold')
            [CompletionResult]::new('--clock', '--clock', [CompletionResultType]::ParameterName, 'Which time paces the replay')
            [CompletionResult]::new('--max-gap', '--max-gap', [CompletionResultType]::ParameterName, 'Shorten idle stretches longer than this')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time (RFC 3339)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before this time (RFC 3339)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Deliveries in flight at once with --to')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries per delivery on connection errors and 5xx')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'With --serve: require HTTP Basic auth with this token (user `token`)')
            [CompletionResult]::new('--heartbeat', '--heartbeat', [CompletionResultType]::ParameterName, 'With --serve: how often an open stream past the capture''s end gets a heartbeat comment')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Show phone numbers, names and e-mail addresses as stable stand-ins, in the envelope, `raw` and `wire` (what --record keeps is what arrived; `telev mask` masks a capture)')
            [CompletionResult]::new('--skip-invalid', '--skip-invalid', [CompletionResultType]::ParameterName, 'Report and skip invalid lines instead of stopping')
            [CompletionResult]::new('--loop', '--loop', [CompletionResultType]::ParameterName, 'With --serve: start over at the end (without it, a stream stays open with heartbeats)')
            [CompletionResult]::new('--calls', '--calls', [CompletionResultType]::ParameterName, 'Print one row per call instead of the events')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'telev;filter' {
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Keep values whose type, type suffix or kind matches (comma-separated, repeatable)')
            [CompletionResult]::new('--arg', '--arg', [CompletionResultType]::ParameterName, 'Bind $NAME to the string VALUE')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read the expression from FILE (every positional argument is then an input)')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Read the expression from FILE (every positional argument is then an input)')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Look for `import`ed and `include`d modules (and `.json` data) in DIR (repeatable)')
            [CompletionResult]::new('--argjson', '--argjson', [CompletionResultType]::ParameterName, 'Bind $NAME to the JSON value TEXT')
            [CompletionResult]::new('--slurpfile', '--slurpfile', [CompletionResultType]::ParameterName, 'Bind $NAME to an array of the JSON values in FILE')
            [CompletionResult]::new('--rawfile', '--rawfile', [CompletionResultType]::ParameterName, 'Bind $NAME to the text of FILE')
            [CompletionResult]::new('--indent', '--indent', [CompletionResultType]::ParameterName, 'Pretty-print with N spaces a level (0: compact, the default; at most 7)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Print strings without quotes')
            [CompletionResult]::new('--raw-output', '--raw-output', [CompletionResultType]::ParameterName, 'Print strings without quotes')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Compact output, as jq -c prints: the default (--indent or --tab pretty-print)')
            [CompletionResult]::new('--compact-output', '--compact-output', [CompletionResultType]::ParameterName, 'Compact output, as jq -c prints: the default (--indent or --tab pretty-print)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Run the expression once with `null` as input')
            [CompletionResult]::new('--null-input', '--null-input', [CompletionResultType]::ParameterName, 'Run the expression once with `null` as input')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Read every input into one array and run the expression once on it')
            [CompletionResult]::new('--slurp', '--slurp', [CompletionResultType]::ParameterName, 'Read every input into one array and run the expression once on it')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'Each line of input is a string (with -s: all of it, one string)')
            [CompletionResult]::new('--raw-input', '--raw-input', [CompletionResultType]::ParameterName, 'Each line of input is a string (with -s: all of it, one string)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Exit 1 when the last output is false or null, 4 when there is none')
            [CompletionResult]::new('--exit-status', '--exit-status', [CompletionResultType]::ParameterName, 'Exit 1 when the last output is false or null, 4 when there is none')
            [CompletionResult]::new('--args', '--args', [CompletionResultType]::ParameterName, 'The arguments after the expression are strings in $ARGS.positional, not files')
            [CompletionResult]::new('--jsonargs', '--jsonargs', [CompletionResultType]::ParameterName, 'The arguments after the expression are JSON values in $ARGS.positional, not files')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Strings without quotes and no newline after each output')
            [CompletionResult]::new('--join-output', '--join-output', [CompletionResultType]::ParameterName, 'Strings without quotes and no newline after each output')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Every character outside ASCII as a \uXXXX escape')
            [CompletionResult]::new('--ascii-output', '--ascii-output', [CompletionResultType]::ParameterName, 'Every character outside ASCII as a \uXXXX escape')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Object keys in order')
            [CompletionResult]::new('--sort-keys', '--sort-keys', [CompletionResultType]::ParameterName, 'Object keys in order')
            [CompletionResult]::new('--tab', '--tab', [CompletionResultType]::ParameterName, 'Pretty-print with a tab a level')
            [CompletionResult]::new('--seq', '--seq', [CompletionResultType]::ParameterName, 'Each output after an ASCII record separator (RFC 7464)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Colors, as jq''s -C (same as --color always)')
            [CompletionResult]::new('--color-output', '--color-output', [CompletionResultType]::ParameterName, 'Colors, as jq''s -C (same as --color always)')
            [CompletionResult]::new('-M', '-M ', [CompletionResultType]::ParameterName, 'No colors, as jq''s -M (same as --color never)')
            [CompletionResult]::new('--monochrome-output', '--monochrome-output', [CompletionResultType]::ParameterName, 'No colors, as jq''s -M (same as --color never)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'telev;calls' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Whose payloads plain payload files hold')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events received at or after this time (RFC 3339)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events received before this time (RFC 3339)')
            [CompletionResult]::new('--call', '--call', [CompletionResultType]::ParameterName, 'One call''s story: its events in order with offsets, each leg''s changes, ring, talk and hold times (a call id, or enough of its start to name one call)')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('--skip-invalid', '--skip-invalid', [CompletionResultType]::ParameterName, 'Report and skip invalid lines instead of stopping')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Show phone numbers, names and e-mail addresses as stable stand-ins')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'telev;mask' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Whose payloads plain payload files hold')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events received at or after this time (RFC 3339)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events received before this time (RFC 3339)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('--skip-invalid', '--skip-invalid', [CompletionResultType]::ParameterName, 'Report and skip invalid lines instead of stopping')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'telev;check' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Whose payloads plain payload files hold')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events received at or after this time (RFC 3339)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events received before this time (RFC 3339)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Rules not to report (comma-separated, repeatable)')
            [CompletionResult]::new('--open-for', '--open-for', [CompletionResultType]::ParameterName, 'How long a call may go quiet before the capture''s end and still count as open rather than as having lost its end')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('--skip-invalid', '--skip-invalid', [CompletionResultType]::ParameterName, 'Report and skip invalid lines instead of stopping')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'telev;config' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'telev;completions' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'telev;man' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (an explicit `always` wins over NO_COLOR)')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown [default: the time of day, with the date when not today]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC rather than the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'telev;help' {
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Connect to a streaming provider and print events as they arrive')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Run a local webhook receiver and print each delivered event')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-emit captured events: print, deliver to a webhook, or serve as SSE')
            [CompletionResult]::new('filter', 'filter', [CompletionResultType]::ParameterValue, 'Run a jq expression over NDJSON, like `jq -c`')
            [CompletionResult]::new('calls', 'calls', [CompletionResultType]::ParameterValue, 'Calls in captures: one row per call, or one call''s story (--call)')
            [CompletionResult]::new('mask', 'mask', [CompletionResultType]::ParameterValue, 'Replace phone numbers, names and e-mail addresses in captures with stable stand-ins, to share them')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check captures for calls whose events cannot be right: no end, steps after the end, times that go backwards, duplicates, events missed across a reconnect')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the config file''s path and which settings are in force, and where each came from (tokens only as set or unset)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page: telev''s, or a command''s (telev man tail)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'telev;help;tail' {
            break
        }
        'telev;help;listen' {
            break
        }
        'telev;help;replay' {
            break
        }
        'telev;help;filter' {
            break
        }
        'telev;help;calls' {
            break
        }
        'telev;help;mask' {
            break
        }
        'telev;help;check' {
            break
        }
        'telev;help;config' {
            break
        }
        'telev;help;completions' {
            break
        }
        'telev;help;man' {
            break
        }
        'telev;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
