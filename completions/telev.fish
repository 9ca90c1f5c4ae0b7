# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_telev_global_optspecs
    string join \n o/output= color= v/verbose q/quiet utc time-format= config= h/help V/version
end

function __fish_telev_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_telev_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_telev_using_subcommand
    set -l cmd (__fish_telev_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c telev -n "__fish_telev_needs_command" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_needs_command" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_needs_command" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_needs_command" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_needs_command" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_needs_command" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_needs_command" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_needs_command" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_needs_command" -f -a "tail" -d 'Connect to a streaming provider and print events as they arrive'
complete -c telev -n "__fish_telev_needs_command" -f -a "listen" -d 'Run a local webhook receiver and print each delivered event'
complete -c telev -n "__fish_telev_needs_command" -f -a "replay" -d 'Re-emit captured events: print, deliver to a webhook, or serve as SSE'
complete -c telev -n "__fish_telev_needs_command" -f -a "filter" -d 'Run a jq expression over NDJSON, like `jq -c`'
complete -c telev -n "__fish_telev_needs_command" -f -a "calls" -d 'Calls in captures: one row per call, or one call\'s story (--call)'
complete -c telev -n "__fish_telev_needs_command" -f -a "mask" -d 'Replace phone numbers, names and e-mail addresses in captures with stable stand-ins, to share them'
complete -c telev -n "__fish_telev_needs_command" -f -a "check" -d 'Check captures for calls whose events cannot be right: no end, steps after the end, times that go backwards, duplicates, events missed across a reconnect'
complete -c telev -n "__fish_telev_needs_command" -f -a "config" -d 'Show the config file\'s path and which settings are in force, and where each came from (tokens only as set or unset)'
complete -c telev -n "__fish_telev_needs_command" -f -a "completions" -d 'Print the completion script for a shell (bash, zsh, fish, powershell, elvish)'
complete -c telev -n "__fish_telev_needs_command" -f -a "man" -d 'Print a man page: telev\'s, or a command\'s (telev man tail)'
complete -c telev -n "__fish_telev_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c telev -n "__fish_telev_using_subcommand tail" -l only -d 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l filter -d 'jq expression run on each envelope: `true` keeps, `false`/`null` drops, other outputs print' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l record -d 'Append every received event\'s envelope to FILE (before --only/--filter)' -r -F
complete -c telev -n "__fish_telev_using_subcommand tail" -l publish -d 'Publish every received envelope to NATS JetStream: nats://[USER:PASS@]HOST:PORT/SUBJECT (SUBJECT may hold {provider}, {kind}, {call_id}; default telev.{provider}.{kind})' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l publish-stream -d 'The JetStream stream to create when none holds --publish\'s subjects' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l count -d 'Stop after N printed events' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l timeout -d 'Stop after this long (2s, 500ms, 1m30s)' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l url -d 'Base URL instead of the provider\'s (a mock, a proxy); for nats, nats://HOST:PORT' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l token -d 'API token [env: TELEV_CYTRACOM_TOKEN; or `token` in the config file]' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l method -d 'HTTP method [default: GET, switching to POST on 405]' -r -f -a "get\t''
post\t''"
complete -c telev -n "__fish_telev_using_subcommand tail" -l queue-ids -d 'Queue ids for the queue stream (comma-separated), passed to the server as queue_ids' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l idle-timeout -d 'Reconnect when no byte arrives for this long' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l max-event -d 'Largest event taken (bytes, or with a KiB/MiB suffix); a larger one ends the run' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l last-event-id -d 'Start after this event id (sent as Last-Event-ID)' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l resume -d 'Start after the last event recorded in CAPTURE (pairs with --record CAPTURE; a capture not there yet starts from the present)' -r -F
complete -c telev -n "__fish_telev_using_subcommand tail" -l max-retries -d 'Give up after N failed reconnects in a row [default: never]' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l subject -d 'nats: the subject to read (wildcards allowed)' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l durable -d 'nats: the durable consumer, which remembers where a run stopped [default: telev-SUBJECT]' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l since -d 'nats: a new durable starts at the first message stored at or after TIME (RFC 3339)' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -l rate -d 'Demo only: events per second' -r
complete -c telev -n "__fish_telev_using_subcommand tail" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_using_subcommand tail" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_using_subcommand tail" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_using_subcommand tail" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_using_subcommand tail" -l mask -d 'Show phone numbers, names and e-mail addresses as stable stand-ins, in the envelope, `raw` and `wire` (what --record keeps is what arrived; `telev mask` masks a capture)'
complete -c telev -n "__fish_telev_using_subcommand tail" -l from-start -d 'nats: a new durable starts at the stream\'s first message (default: at new ones)'
complete -c telev -n "__fish_telev_using_subcommand tail" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_using_subcommand tail" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_using_subcommand tail" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_using_subcommand tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_using_subcommand tail" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_using_subcommand listen" -l port -d 'Port to listen on (0 picks a free one)' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l bind -d 'Address to bind' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l path -d 'Accept requests only under this path' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l forward-to -d 'Relay each request unchanged to your app and answer with its response' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l only -d 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l filter -d 'jq expression run on each envelope: `true` keeps, `false`/`null` drops, other outputs print' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l record -d 'Append every received event\'s envelope to FILE (before --only/--filter)' -r -F
complete -c telev -n "__fish_telev_using_subcommand listen" -l publish -d 'Publish every received envelope to NATS JetStream: nats://[USER:PASS@]HOST:PORT/SUBJECT (SUBJECT may hold {provider}, {kind}, {call_id}; default telev.{provider}.{kind})' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l publish-stream -d 'The JetStream stream to create when none holds --publish\'s subjects' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l count -d 'Stop after N printed events' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l timeout -d 'Stop after this long (2s, 500ms, 1m30s)' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l verification-token -d 'RingCentral: reject notifications whose Verification-Token differs' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l basic-auth -d 'Require HTTP Basic auth from senders' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l bearer -d 'Require `Authorization: Bearer TOKEN` from senders' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l max-body -d 'Largest accepted body (bytes, or with a KiB/MiB suffix)' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l max-body-memory -d 'Request bodies held in memory at once, all requests together; beyond it new ones get 503 with Retry-After' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l max-connections -d 'Connections open at once; more wait their turn' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l host -d 'A name senders reach the listener by (a tunnel\'s: abc.trycloudflare.com); a request for another name than these and localhost gets 421 (repeatable)' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -l allow-origin -d 'Accept requests a web page on this origin sends (https://app.example); others that carry an Origin get 403 (repeatable)' -r
complete -c telev -n "__fish_telev_using_subcommand listen" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_using_subcommand listen" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_using_subcommand listen" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_using_subcommand listen" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_using_subcommand listen" -l mask -d 'Show phone numbers, names and e-mail addresses as stable stand-ins, in the envelope, `raw` and `wire` (what --record keeps is what arrived; `telev mask` masks a capture)'
complete -c telev -n "__fish_telev_using_subcommand listen" -l dedup -d 'Leave a provider\'s repeats of an event out of the output and the forwards (they are recorded, answered, and counted all the same)'
complete -c telev -n "__fish_telev_using_subcommand listen" -l keep-secrets -d 'Record and show Authorization, Proxy-Authorization and Cookie headers as they came (the default writes `[redacted]`; the credential telev checks is never kept)'
complete -c telev -n "__fish_telev_using_subcommand listen" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_using_subcommand listen" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_using_subcommand listen" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_using_subcommand listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_using_subcommand listen" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_using_subcommand replay" -l speed -d 'Pace: a factor (10 = ten times faster) or `max`' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l to -d 'Deliver each event to this webhook URL in its provider\'s native format' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l serve -d 'Serve the capture as Cytracom-shaped SSE at ADDR (host:port)' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l only -d 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l filter -d 'jq expression run on each envelope: `true` keeps, `false`/`null` drops, other outputs print' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l record -d 'Append every received event\'s envelope to FILE (before --only/--filter)' -r -F
complete -c telev -n "__fish_telev_using_subcommand replay" -l publish -d 'Publish every received envelope to NATS JetStream: nats://[USER:PASS@]HOST:PORT/SUBJECT (SUBJECT may hold {provider}, {kind}, {call_id}; default telev.{provider}.{kind})' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l publish-stream -d 'The JetStream stream to create when none holds --publish\'s subjects' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l count -d 'Stop after N printed events' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l timeout -d 'Stop after this long (2s, 500ms, 1m30s)' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l provider -d 'Whose payloads plain payload files hold' -r -f -a "cytracom\t'Cytracom: Server-Sent Events'
telphin\t'Telphin: webhooks of form fields'
callcenter\t'the call-center Events API: JSON webhooks'
teltel\t'TelTel: JSON webhooks'
ringcentral\t'RingCentral: telephony-session notifications'"
complete -c telev -n "__fish_telev_using_subcommand replay" -l clock -d 'Which time paces the replay' -r -f -a "received\t'Pace by when telev received each event'
event\t'Pace by the event\'s own time'"
complete -c telev -n "__fish_telev_using_subcommand replay" -l max-gap -d 'Shorten idle stretches longer than this' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l since -d 'Only events at or after this time (RFC 3339)' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l until -d 'Only events before this time (RFC 3339)' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l concurrency -d 'Deliveries in flight at once with --to' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l retries -d 'Retries per delivery on connection errors and 5xx' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l token -d 'With --serve: require HTTP Basic auth with this token (user `token`)' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -l heartbeat -d 'With --serve: how often an open stream past the capture\'s end gets a heartbeat comment' -r
complete -c telev -n "__fish_telev_using_subcommand replay" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_using_subcommand replay" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_using_subcommand replay" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_using_subcommand replay" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_using_subcommand replay" -l mask -d 'Show phone numbers, names and e-mail addresses as stable stand-ins, in the envelope, `raw` and `wire` (what --record keeps is what arrived; `telev mask` masks a capture)'
complete -c telev -n "__fish_telev_using_subcommand replay" -l skip-invalid -d 'Report and skip invalid lines instead of stopping'
complete -c telev -n "__fish_telev_using_subcommand replay" -l loop -d 'With --serve: start over at the end (without it, a stream stays open with heartbeats)'
complete -c telev -n "__fish_telev_using_subcommand replay" -l calls -d 'Print one row per call instead of the events'
complete -c telev -n "__fish_telev_using_subcommand replay" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_using_subcommand replay" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_using_subcommand replay" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_using_subcommand replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_using_subcommand replay" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_using_subcommand filter" -l only -d 'Keep values whose type, type suffix or kind matches (comma-separated, repeatable)' -r
complete -c telev -n "__fish_telev_using_subcommand filter" -l arg -d 'Bind $NAME to the string VALUE' -r
complete -c telev -n "__fish_telev_using_subcommand filter" -s f -l from-file -d 'Read the expression from FILE (every positional argument is then an input)' -r -F
complete -c telev -n "__fish_telev_using_subcommand filter" -s L -d 'Look for `import`ed and `include`d modules (and `.json` data) in DIR (repeatable)' -r -F
complete -c telev -n "__fish_telev_using_subcommand filter" -l argjson -d 'Bind $NAME to the JSON value TEXT' -r
complete -c telev -n "__fish_telev_using_subcommand filter" -l slurpfile -d 'Bind $NAME to an array of the JSON values in FILE' -r
complete -c telev -n "__fish_telev_using_subcommand filter" -l rawfile -d 'Bind $NAME to the text of FILE' -r
complete -c telev -n "__fish_telev_using_subcommand filter" -l indent -d 'Pretty-print with N spaces a level (0: compact, the default; at most 7)' -r
complete -c telev -n "__fish_telev_using_subcommand filter" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_using_subcommand filter" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_using_subcommand filter" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_using_subcommand filter" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_using_subcommand filter" -s r -l raw-output -d 'Print strings without quotes'
complete -c telev -n "__fish_telev_using_subcommand filter" -s c -l compact-output -d 'Compact output, as jq -c prints: the default (--indent or --tab pretty-print)'
complete -c telev -n "__fish_telev_using_subcommand filter" -s n -l null-input -d 'Run the expression once with `null` as input'
complete -c telev -n "__fish_telev_using_subcommand filter" -s s -l slurp -d 'Read every input into one array and run the expression once on it'
complete -c telev -n "__fish_telev_using_subcommand filter" -s R -l raw-input -d 'Each line of input is a string (with -s: all of it, one string)'
complete -c telev -n "__fish_telev_using_subcommand filter" -s e -l exit-status -d 'Exit 1 when the last output is false or null, 4 when there is none'
complete -c telev -n "__fish_telev_using_subcommand filter" -l args -d 'The arguments after the expression are strings in $ARGS.positional, not files'
complete -c telev -n "__fish_telev_using_subcommand filter" -l jsonargs -d 'The arguments after the expression are JSON values in $ARGS.positional, not files'
complete -c telev -n "__fish_telev_using_subcommand filter" -s j -l join-output -d 'Strings without quotes and no newline after each output'
complete -c telev -n "__fish_telev_using_subcommand filter" -s a -l ascii-output -d 'Every character outside ASCII as a \\uXXXX escape'
complete -c telev -n "__fish_telev_using_subcommand filter" -s S -l sort-keys -d 'Object keys in order'
complete -c telev -n "__fish_telev_using_subcommand filter" -l tab -d 'Pretty-print with a tab a level'
complete -c telev -n "__fish_telev_using_subcommand filter" -l seq -d 'Each output after an ASCII record separator (RFC 7464)'
complete -c telev -n "__fish_telev_using_subcommand filter" -s C -l color-output -d 'Colors, as jq\'s -C (same as --color always)'
complete -c telev -n "__fish_telev_using_subcommand filter" -s M -l monochrome-output -d 'No colors, as jq\'s -M (same as --color never)'
complete -c telev -n "__fish_telev_using_subcommand filter" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_using_subcommand filter" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_using_subcommand filter" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_using_subcommand filter" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_using_subcommand filter" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_using_subcommand calls" -l provider -d 'Whose payloads plain payload files hold' -r -f -a "cytracom\t'Cytracom: Server-Sent Events'
telphin\t'Telphin: webhooks of form fields'
callcenter\t'the call-center Events API: JSON webhooks'
teltel\t'TelTel: JSON webhooks'
ringcentral\t'RingCentral: telephony-session notifications'"
complete -c telev -n "__fish_telev_using_subcommand calls" -l since -d 'Only events received at or after this time (RFC 3339)' -r
complete -c telev -n "__fish_telev_using_subcommand calls" -l until -d 'Only events received before this time (RFC 3339)' -r
complete -c telev -n "__fish_telev_using_subcommand calls" -l call -d 'One call\'s story: its events in order with offsets, each leg\'s changes, ring, talk and hold times (a call id, or enough of its start to name one call)' -r
complete -c telev -n "__fish_telev_using_subcommand calls" -l only -d 'Keep events whose type, type suffix or kind matches (comma-separated, repeatable)' -r
complete -c telev -n "__fish_telev_using_subcommand calls" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_using_subcommand calls" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_using_subcommand calls" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_using_subcommand calls" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_using_subcommand calls" -l skip-invalid -d 'Report and skip invalid lines instead of stopping'
complete -c telev -n "__fish_telev_using_subcommand calls" -l mask -d 'Show phone numbers, names and e-mail addresses as stable stand-ins'
complete -c telev -n "__fish_telev_using_subcommand calls" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_using_subcommand calls" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_using_subcommand calls" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_using_subcommand calls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_using_subcommand calls" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_using_subcommand mask" -l provider -d 'Whose payloads plain payload files hold' -r -f -a "cytracom\t'Cytracom: Server-Sent Events'
telphin\t'Telphin: webhooks of form fields'
callcenter\t'the call-center Events API: JSON webhooks'
teltel\t'TelTel: JSON webhooks'
ringcentral\t'RingCentral: telephony-session notifications'"
complete -c telev -n "__fish_telev_using_subcommand mask" -l since -d 'Only events received at or after this time (RFC 3339)' -r
complete -c telev -n "__fish_telev_using_subcommand mask" -l until -d 'Only events received before this time (RFC 3339)' -r
complete -c telev -n "__fish_telev_using_subcommand mask" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_using_subcommand mask" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_using_subcommand mask" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_using_subcommand mask" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_using_subcommand mask" -l skip-invalid -d 'Report and skip invalid lines instead of stopping'
complete -c telev -n "__fish_telev_using_subcommand mask" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_using_subcommand mask" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_using_subcommand mask" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_using_subcommand mask" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_using_subcommand mask" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_using_subcommand check" -l provider -d 'Whose payloads plain payload files hold' -r -f -a "cytracom\t'Cytracom: Server-Sent Events'
telphin\t'Telphin: webhooks of form fields'
callcenter\t'the call-center Events API: JSON webhooks'
teltel\t'TelTel: JSON webhooks'
ringcentral\t'RingCentral: telephony-session notifications'"
complete -c telev -n "__fish_telev_using_subcommand check" -l since -d 'Only events received at or after this time (RFC 3339)' -r
complete -c telev -n "__fish_telev_using_subcommand check" -l until -d 'Only events received before this time (RFC 3339)' -r
complete -c telev -n "__fish_telev_using_subcommand check" -l ignore -d 'Rules not to report (comma-separated, repeatable)' -r -f -a "no-start\t'A call with no start or ringing event'
no-end\t'A call whose end never came, though the capture went on long after its last event'
open\t'A call still open when the capture ends'
after-end\t'A ring, an answer or another step of a call (or phone) that had already ended'
backwards\t'An event whose provider time is earlier than one of the same call before it'
duplicate\t'The same event twice (a provider\'s retry, or a replay recorded again)'
answer-before-ring\t'An answer that came before the call\'s ringing'
talk-unanswered\t'A call (or phone) answered, whose end says nobody answered'
id-gap\t'Stream event ids that skip: events missed, as across a reconnect'"
complete -c telev -n "__fish_telev_using_subcommand check" -l open-for -d 'How long a call may go quiet before the capture\'s end and still count as open rather than as having lost its end' -r
complete -c telev -n "__fish_telev_using_subcommand check" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_using_subcommand check" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_using_subcommand check" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_using_subcommand check" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_using_subcommand check" -l skip-invalid -d 'Report and skip invalid lines instead of stopping'
complete -c telev -n "__fish_telev_using_subcommand check" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_using_subcommand check" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_using_subcommand check" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_using_subcommand check" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_using_subcommand config" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_using_subcommand config" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_using_subcommand config" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_using_subcommand config" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_using_subcommand config" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_using_subcommand config" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_using_subcommand config" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_using_subcommand config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_using_subcommand config" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_using_subcommand completions" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_using_subcommand completions" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_using_subcommand completions" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_using_subcommand completions" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_using_subcommand completions" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_using_subcommand completions" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_using_subcommand completions" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_using_subcommand man" -s o -l output -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored line per event'
table\t'Aligned columns under a header'
ndjson\t'One JSON envelope per line'
raw\t'The provider\'s payload only, one JSON per line'
board\t'A live call board on the terminal (tail, listen, replay): calls in progress, the latest ended, counters; q quits, / filters, Enter opens a call\'s timeline, p pauses the view'"
complete -c telev -n "__fish_telev_using_subcommand man" -l color -d 'When to use colors (an explicit `always` wins over NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c telev -n "__fish_telev_using_subcommand man" -l time-format -d 'How times are shown [default: the time of day, with the date when not today]' -r -f -a "auto\t'The time of day, with the date when it is not today'
time\t'The time of day: 14:03:07.512'
datetime\t'Date and time: 2026-12-03 14:03:07.512'
rfc3339\t'RFC 3339 with the zone\'s offset: 2026-12-03T14:03:07.512+01:00'
relative\t'Seconds since the first event shown: +12.345'"
complete -c telev -n "__fish_telev_using_subcommand man" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/telev/config.toml]' -r -F
complete -c telev -n "__fish_telev_using_subcommand man" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c telev -n "__fish_telev_using_subcommand man" -s q -l quiet -d 'Only errors on stderr'
complete -c telev -n "__fish_telev_using_subcommand man" -l utc -d 'Show times in UTC rather than the local zone'
complete -c telev -n "__fish_telev_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c telev -n "__fish_telev_using_subcommand man" -s V -l version -d 'Print version'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "tail" -d 'Connect to a streaming provider and print events as they arrive'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "listen" -d 'Run a local webhook receiver and print each delivered event'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "replay" -d 'Re-emit captured events: print, deliver to a webhook, or serve as SSE'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "filter" -d 'Run a jq expression over NDJSON, like `jq -c`'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "calls" -d 'Calls in captures: one row per call, or one call\'s story (--call)'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "mask" -d 'Replace phone numbers, names and e-mail addresses in captures with stable stand-ins, to share them'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "check" -d 'Check captures for calls whose events cannot be right: no end, steps after the end, times that go backwards, duplicates, events missed across a reconnect'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "config" -d 'Show the config file\'s path and which settings are in force, and where each came from (tokens only as set or unset)'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "completions" -d 'Print the completion script for a shell (bash, zsh, fish, powershell, elvish)'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "man" -d 'Print a man page: telev\'s, or a command\'s (telev man tail)'
complete -c telev -n "__fish_telev_using_subcommand help; and not __fish_seen_subcommand_from tail listen replay filter calls mask check config completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
