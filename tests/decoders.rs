//! Every example and field table of the provider documents in `shared/seeds`, decoded.

use jiff::Timestamp;
use serde_json::{Value, json};
use telev::envelope::wire::{HttpWire, SseWire};
use telev::envelope::{Direction, Envelope, Kind, Stream};
use telev::provider::{self, Provider};

fn received() -> Timestamp {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

fn sse(stream: &str, event: &str, data: Value) -> Envelope {
    let wire = SseWire {
        event: event.to_owned(),
        id: Some("1".to_owned()),
        data: data.to_string().into(),
    };
    let stream = Stream::from_name(stream).expect("a stream's name");
    provider::decode_sse(stream, wire, received())
}

fn post_json(provider: Option<Provider>, body: &Value) -> Envelope {
    let headers: [(&str, &[u8]); 1] = [("Content-Type", b"application/json")];
    let wire = HttpWire::new("POST", "/hook", None, headers, body.to_string().as_bytes());
    provider::decode_http(provider, wire, received()).expect("a JSON body decodes")
}

fn time(e: &Envelope) -> Option<String> {
    e.time.map(|t| telev::envelope::millis::format(&t))
}

/// The fields most assertions look at, in envelope order.
type Summary<'a> = (
    &'a str,
    &'a str,
    Kind,
    Option<&'a str>,
    Option<Direction>,
    Option<&'a str>,
    Option<&'a str>,
);

fn summary(e: &Envelope) -> Summary<'_> {
    (
        e.provider.as_str(),
        e.event_type.as_str(),
        e.kind,
        e.call_id.as_deref(),
        e.direction,
        e.from.as_deref(),
        e.to.as_deref(),
    )
}

// ---- Cytracom -------------------------------------------------------------------------------

fn dial_begin() -> Value {
    json!({"unique_id":"a309994c-70a8-43f2-aaca-2e97986e4131","linked_id":"1548318101312.864897",
        "event_time":1548318101509u64,"event":"chan.dial_begin","direction":"internal",
        "customer_code":"baaaaac","caller":{"state":null,"number":"226","name":"Mark Meyers",
        "device":"sip226_baaaaac","channel_id":"63d30d39-828d-48c4-a8d9-90ef8f626517","answered_time":"0"},
        "called":{"state":"ringing","number":"697","name":"Outbound Call","dial_status":"ringing",
        "device":"sip697_baaaaac","channel_id":"63d30d39-828d-48c4-a8d9-90ef8f626517"}})
}

#[test]
fn cytracom_dial_begin_from_the_seed() {
    let e = sse("chan", "chan.dial_begin", dial_begin());
    assert_eq!(
        summary(&e),
        (
            "cytracom",
            "chan.dial_begin",
            Kind::CallRinging,
            Some("1548318101312.864897"),
            Some(Direction::Internal),
            Some("226"),
            Some("697")
        )
    );
    assert_eq!(e.stream, "chan");
    assert_eq!(time(&e).as_deref(), Some("2019-01-24T08:21:41.509Z"));
    assert_eq!(e.raw.value(), dial_begin());
}

#[test]
fn cytracom_dial_end_answered_and_not() {
    let answered = json!({"unique_id":"b5b465de-15fa-4f79-a2b2-e1f39740066c","linked_id":"1548320221192.783882",
        "event_time":1548320244669u64,"event":"chan.dial_end","direction":"outbound","customer_code":"baaaaac",
        "caller":{"state":null,"number":"2147367077","name":"Cytracom LLC","device":"sip226_baaaaac",
        "channel_id":"87e949ff-2688-4e87-95e3-f5b1820dd5ce","answered_time":"1548320244649309"},
        "called":{"state":"answered","number":"8774112987","name":"Outbound Call","dial_status":"answered",
        "device":null,"channel_id":"b5b465de-15fa-4f79-a2b2-e1f39740066c"}});
    let e = sse("chan", "chan.dial_end", answered);
    assert_eq!(
        summary(&e),
        (
            "cytracom",
            "chan.dial_end",
            Kind::CallAnswered,
            Some("1548320221192.783882"),
            Some(Direction::Outbound),
            Some("2147367077"),
            Some("8774112987")
        )
    );
    assert_eq!(time(&e).as_deref(), Some("2019-01-24T08:57:24.669Z"));
    assert_eq!(provider::state(&e).as_deref(), Some("answered"));

    // The field table names the callee `callee`; the examples say `called`.
    let busy = json!({"linked_id":"9","event":"chan.dial_end","caller":{"number":"1"},
        "callee":{"number":"2","dial_status":"busy"}});
    let e = sse("chan", "chan.dial_end", busy);
    assert_eq!((e.kind, e.to.as_deref()), (Kind::CallUnanswered, Some("2")));
    assert_eq!(provider::state(&e).as_deref(), Some("busy"));
}

#[test]
fn cytracom_hangup_reads_the_channel() {
    let hangup = json!({"unique_id":"a309994c-70a8-43f2-aaca-2e97986e4131","linked_id":"1548318101312.864897",
        "event_time":1548318108369u64,"event":"chan.hangup","direction":"internal","customer_code":"baaaaac",
        "channel":{"state":"hangup","number":"697","name":"Outbound Call","dial_status":"no answer",
        "device":"sip697_baaaaac","connected_number":"226","connected_name":"Mark Meyer",
        "connected_device":"sip226_baaaaac","channel_id":"63d30d39-828d-48c4-a8d9-90ef8f626517"}});
    let e = sse("chan", "chan.hangup", hangup);
    assert_eq!(
        summary(&e),
        (
            "cytracom",
            "chan.hangup",
            Kind::CallMissed,
            Some("1548318101312.864897"),
            Some(Direction::Internal),
            Some("226"),
            Some("697")
        )
    );
    assert_eq!(provider::state(&e).as_deref(), Some("no answer"));
}

#[test]
fn cytracom_queue_and_monitored_streams() {
    let cases = [
        ("queue", "queue_status", Kind::QueueStatus),
        ("queue", "member_init_state", Kind::AgentStatus),
        ("queue", "caller_history", Kind::QueueHistory),
        ("queue", "caller_join", Kind::QueueJoined),
        ("queue", "caller_abandon", Kind::QueueAbandoned),
        ("queue", "member_state", Kind::AgentStatus),
        ("queue", "member_connect", Kind::QueueConnected),
        ("queue", "member_complete", Kind::QueueCompleted),
        ("monitored", "recording_available", Kind::RecordingAvailable),
    ];
    for (stream, event, kind) in cases {
        let e = sse(
            stream,
            event,
            json!({"event": event, "queue_id": "7", "event_time": 1548318101509u64}),
        );
        assert_eq!(
            (e.stream.as_str(), e.event_type.as_str(), e.kind),
            (stream, event, kind)
        );
        assert_eq!(time(&e).as_deref(), Some("2019-01-24T08:21:41.509Z"));
    }
}

#[test]
fn cytracom_unexpected_payloads_still_become_events() {
    let e = sse("chan", "chan.transfer", json!({"something": "new"}));
    assert_eq!(
        (e.event_type.as_str(), e.kind, e.time, e.call_id.as_deref()),
        ("chan.transfer", Kind::Other, None, None)
    );
    // No SSE event name: the payload's own `event` names it; none at all is `unknown`.
    let e = sse("chan", "", json!({"event": "chan.hangup"}));
    assert_eq!(e.event_type, "chan.hangup");
    let e = sse("chan", "", json!({}));
    assert_eq!(e.event_type, "unknown");
    // data that is not JSON is kept as a string, not dropped.
    let wire = SseWire {
        event: "chan.hangup".into(),
        id: None,
        data: "{torn".into(),
    };
    let e = provider::decode_sse(Stream::Chan, wire, received());
    assert_eq!(e.raw.value(), json!("{torn"));
}

#[test]
fn cytracom_keys_given_twice_read_as_the_last_one_and_raw_keeps_both() {
    let data = r#"{"linked_id":"a","event_time":1548318101509,"linked_id":"b"}"#;
    let wire = SseWire {
        event: "chan.hangup".into(),
        id: None,
        data: data.into(),
    };
    let e = provider::decode_sse(Stream::Chan, wire, received());
    assert_eq!(e.call_id.as_deref(), Some("b"), "as jq and a tree read it");
    assert_eq!(time(&e).as_deref(), Some("2019-01-24T08:21:41.509Z"));
    assert_eq!(e.raw.text(), data);
}

// ---- Telphin --------------------------------------------------------------------------------

const TELPHIN_FORM: &str = "EventType=hangup&CallID=b5e7c2a6f0&CallerIDNum=%2B79817654321&CallerIDName=Ivan\
&CalledDID=%2B74950000000&CalledExtension=000*099%40sipproxy.telphin.ru&CalledExtensionID=175\
&CallStatus=ANSWER&CallFlow=in&CalledNumber=00010005&RecID=rec-1&EventTime=1548318101509123\
&Duration=12000000&SubCallID=sub-1";

#[test]
fn telphin_post_form_body() {
    let headers: [(&str, &[u8]); 1] = [("Content-Type", b"application/x-www-form-urlencoded")];
    let wire = HttpWire::new(
        "POST",
        "/calls",
        Some("myid=175"),
        headers,
        TELPHIN_FORM.as_bytes(),
    );
    let e = provider::decode_http(Some(Provider::Telphin), wire, received()).unwrap();
    assert_eq!(
        summary(&e),
        (
            "telphin",
            "hangup",
            Kind::CallEnded,
            Some("b5e7c2a6f0"),
            Some(Direction::Inbound),
            Some("+79817654321"),
            Some("00010005")
        )
    );
    assert_eq!(time(&e).as_deref(), Some("2019-01-24T08:21:41.509Z"));
    assert_eq!(
        e.raw.value()["CalledExtension"],
        "000*099@sipproxy.telphin.ru"
    );
    assert_eq!(e.raw.value()["myid"], "175", "query fields are kept too");
    assert_eq!(
        e.raw.value()["CalledExtensionID"],
        "175",
        "form fields stay strings"
    );
    assert_eq!(provider::state(&e).as_deref(), Some("ANSWER"));
}

/// Telphin's numbers start with `+`; a sender that does not encode it still means `+`.
#[test]
fn telphin_raw_plus_in_a_form_is_a_number_sign() {
    let headers: [(&str, &[u8]); 1] = [("Content-Type", b"application/x-www-form-urlencoded")];
    let body = "EventType=dial-in&CallID=c1&CallerIDNum=+79214567892&CallerIDName=Ivan+Petrov\
        &CalledNumber=%2B79300369446&CallFlow=in";
    let wire = HttpWire::new("POST", "/t", None, headers, body.as_bytes());
    let e = provider::decode_http(Some(Provider::Telphin), wire, received()).unwrap();
    assert_eq!(e.from.as_deref(), Some("+79214567892"));
    assert_eq!(e.to.as_deref(), Some("+79300369446"));
    assert_eq!(e.raw.value()["CallerIDName"], "Ivan Petrov");
}

#[test]
fn telphin_get_with_query_string() {
    let query = "myid=175&EventType=dial-out&CallID=c1&CallerIDNum=200&CalledNumber=%2B79817654321\
                 &CallStatus=CALLING&CallFlow=OUT&EventTime=1548318101509000";
    let wire = HttpWire::new("GET", "/fordel/show.php", Some(query), [], b"");
    let e = provider::decode_http(None, wire, received()).unwrap();
    assert_eq!(
        summary(&e),
        (
            "telphin",
            "dial-out",
            Kind::CallRinging,
            Some("c1"),
            Some(Direction::Outbound),
            Some("200"),
            Some("+79817654321")
        )
    );
}

#[test]
fn telphin_get_with_fields_in_headers() {
    let headers: [(&str, &[u8]); 5] = [
        ("eventtype", b"answer"),
        ("callid", b"c2"),
        ("X-CallerIDNum", b"300"),
        ("calledextension", b"000*099@domain"),
        ("CallFlow", b"In"),
    ];
    let wire = HttpWire::new("GET", "/", None, headers, b"");
    let e = provider::decode_http(Some(Provider::Telphin), wire, received()).unwrap();
    assert_eq!(
        summary(&e),
        (
            "telphin",
            "answer",
            Kind::CallAnswered,
            Some("c2"),
            Some(Direction::Inbound),
            Some("300"),
            Some("000*099@domain")
        )
    );
    assert_eq!(
        e.raw.value()["EventType"],
        "answer",
        "header fields get their documented names"
    );
}

#[test]
fn telphin_every_event_type() {
    let cases = [
        ("dial-in", Kind::CallRinging),
        ("dial-out", Kind::CallRinging),
        ("answer", Kind::CallAnswered),
        ("hangup", Kind::CallEnded),
        ("message-in", Kind::MessageReceived),
        ("message-out", Kind::MessageSent),
        ("voicemail", Kind::VoicemailReceived),
        ("something-new", Kind::Other),
    ];
    for (event, kind) in cases {
        let wire = HttpWire::new(
            "GET",
            "/",
            Some(&format!("EventType={event}&CallID=x")),
            [],
            b"",
        );
        let e = provider::decode_http(Some(Provider::Telphin), wire, received()).unwrap();
        assert_eq!((e.event_type.as_str(), e.kind), (event, kind));
    }
}

#[test]
fn telphin_request_without_fields_is_refused() {
    let wire = HttpWire::new("GET", "/", None, [], b"");
    assert!(provider::decode_http(Some(Provider::Telphin), wire, received()).is_err());
}

// ---- Call-center Events API v1.3 ----------------------------------------------------------------

#[test]
fn callcenter_call_events() {
    let call = |event: &str| {
        json!({"event": event, "id": "leg-2", "call_id": "3f1c", "ts": 1700000000,
        "site_id": 1, "type": "inbound", "dst_num": "1002", "cid_num": "+15551234", "cid_name": "Ann",
        "waitms": 1200, "durationms": 60000, "billms": 58000, "hangup_cause": "NORMAL_CLEARING"})
    };
    let cases = [
        ("call:ring", Kind::CallRinging),
        ("call:answer", Kind::CallAnswered),
        ("call:end", Kind::CallEnded),
        ("call:start", Kind::CallStarted),
    ];
    for (event, kind) in cases {
        let e = post_json(Some(Provider::Callcenter), &call(event));
        assert_eq!(
            summary(&e),
            (
                "callcenter",
                event,
                kind,
                Some("3f1c"),
                Some(Direction::Inbound),
                Some("+15551234"),
                Some("1002")
            )
        );
        assert_eq!(time(&e).as_deref(), Some("2023-11-14T22:13:20.000Z"));
    }
    let queue_call = json!({"event": "call:start", "call_id": "q", "ts": "1700000000", "type": "queue", "queue_id": 4});
    assert_eq!(
        post_json(None, &queue_call).direction,
        Some(Direction::Inbound)
    );
    let fax = json!({"event": "call:end", "call_id": "f", "ts": 1700000000, "type": "fax"});
    assert_eq!(post_json(None, &fax).direction, None);
}

#[test]
fn callcenter_agent_and_queue_events() {
    let cases = [
        (
            json!({"event":"agent:checkin","user_id":5,"device_id":9,"device_name":"desk"}),
            Kind::AgentLogin,
        ),
        (
            json!({"event":"agent:checkout","user_id":5}),
            Kind::AgentLogout,
        ),
        (
            json!({"event":"queue:join","user_id":5,"queues":[1,2]}),
            Kind::QueueJoined,
        ),
        (
            json!({"event":"queue:leave","user_id":5,"queues":[1]}),
            Kind::QueueLeft,
        ),
        (
            json!({"event":"agent:status","user_id":5,"activity_id":3,"pause_id":0,"in_calls":1}),
            Kind::AgentStatus,
        ),
    ];
    for (payload, kind) in cases {
        let e = post_json(None, &payload);
        assert_eq!(
            (e.provider.as_str(), e.kind, e.time),
            ("callcenter", kind, None)
        );
    }
}

// ---- TelTel ---------------------------------------------------------------------------------

#[test]
fn teltel_seven_events() {
    let event = |name: &str, extra: Value| {
        let mut v = json!({"event": name, "id": "ev1", "timestamp": "2023-11-07 10:00:00",
            "accountcode": "acc", "session_id": "s1", "call_id": "c-77", "direction": "outbound",
            "type": "standard", "phase": "siptodid", "participants": 1, "from": "sip101", "to": "+3712000000"});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    };
    let cases = [
        ("START", json!({}), Kind::CallStarted),
        ("RING", json!({}), Kind::CallRinging),
        ("RINGRESULT", json!({"state": "ANSWER"}), Kind::CallAnswered),
        ("RINGRESULT", json!({"state": "BUSY"}), Kind::CallUnanswered),
        (
            "READY",
            json!({"subject_type": "sip", "subject": "101"}),
            Kind::CallConnected,
        ),
        (
            "JOIN",
            json!({"subject_type": "phone", "subject": "+3712000000"}),
            Kind::CallJoined,
        ),
        (
            "LEAVE",
            json!({"subject_type": "phone", "subject": "+3712000000"}),
            Kind::CallLeft,
        ),
        (
            "COMPLETED",
            json!({"hanged_by": "phone", "is_answered": true}),
            Kind::CallEnded,
        ),
    ];
    for (name, extra, kind) in cases {
        let e = post_json(None, &event(name, extra));
        assert_eq!(
            summary(&e),
            (
                "teltel",
                name,
                kind,
                Some("c-77"),
                Some(Direction::Outbound),
                Some("sip101"),
                Some("+3712000000")
            )
        );
        assert_eq!(time(&e).as_deref(), Some("2023-11-07T10:00:00.000Z"));
    }
}

/// The page names no caller or callee keys; the numbers it does give, by event and direction
/// (shared/samples teltel-04, -05, -07, -11, -19).
#[test]
fn teltel_numbers_from_subject_hanged_value_and_callback_legs() {
    let base = json!({"accountcode": "8D7A2C", "call_id": "c", "type": "standard"});
    let event = |extra: Value| {
        let mut v = base.clone();
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let e = post_json(Some(Provider::Teltel), &v);
        (e.from, e.to)
    };
    let some = |s: &str| Some(s.to_owned());
    // Outbound: the account's SIP device calls the phone.
    let ready = json!({"event": "READY", "direction": "outbound", "subject_type": "phone", "subject": "37129123456"});
    assert_eq!(event(ready), (None, some("37129123456")));
    let join =
        json!({"event": "JOIN", "direction": "outbound", "subject_type": "sip", "subject": "201"});
    assert_eq!(event(join), (some("201"), None));
    let done = json!({"event": "COMPLETED", "direction": "outbound", "hanged_by": "phone", "hanged_value": "37129123456", "is_answered": true});
    assert_eq!(event(done), (None, some("37129123456")));
    // Inbound: the phone calls the account's device.
    let done = json!({"event": "COMPLETED", "direction": "inbound", "hanged_by": "phone", "hanged_value": "37120000001", "is_answered": false});
    assert_eq!(event(done), (some("37120000001"), None));
    let left =
        json!({"event": "LEAVE", "direction": "inbound", "subject_type": "sip", "subject": "202"});
    assert_eq!(event(left), (None, some("202")));
    // Without a direction the party's side is unknown: no guess.
    let join = json!({"event": "JOIN", "subject_type": "sip", "subject": "202"});
    assert_eq!(event(join), (None, None));
    // A callback: leg 1 is reached first and calls leg 2.
    let callback = json!({"event": "START", "direction": "outbound", "type": "callback",
        "data": {"callback": {"leg_1_phone_number": "201", "leg_1_caller_id": "37167000000",
        "leg_2_phone_number": "37129123456", "leg_2_caller_id": "37167000000"}}});
    assert_eq!(event(callback), (some("201"), some("37129123456")));
    // A sender's own keys come first.
    let own = json!({"event": "JOIN", "direction": "outbound", "subject_type": "sip", "subject": "201", "from": "sip101"});
    assert_eq!(event(own), (some("sip101"), None));
}

/// `call.missed` is the end of a call nobody answered, whichever provider sent it; the samples
/// are cited by file and line (shared/samples/providers).
#[test]
fn a_missed_call_ends_with_call_missed_for_every_provider() {
    let hook = |provider: Provider, body: Value| post_json(Some(provider), &body).kind;
    // cytracom-03: the hang-up of a channel whose dial status is `no answer`.
    let hangup = json!({"linked_id": "1548318101312.864897", "event": "chan.hangup",
        "channel": {"number": "697", "dial_status": "no answer", "connected_number": "226"}});
    assert_eq!(sse("chan", "chan.hangup", hangup).kind, Kind::CallMissed);
    let answered = json!({"linked_id": "1", "event": "chan.hangup",
        "channel": {"number": "697", "dial_status": "answered"}});
    assert_eq!(sse("chan", "chan.hangup", answered).kind, Kind::CallEnded);
    // telphin-10, -12, -13: NOANSWER, BUSY, CANCEL; telphin-06: ANSWER.
    for (status, kind) in [
        ("NOANSWER", Kind::CallMissed),
        ("BUSY", Kind::CallMissed),
        ("CANCEL", Kind::CallMissed),
        ("CHANUNAVAIL", Kind::CallMissed),
        ("ANSWER", Kind::CallEnded),
    ] {
        let body = json!({"EventType": "hangup", "CallID": "c", "CallStatus": status});
        assert_eq!(hook(Provider::Telphin, body), kind, "{status}");
    }
    // callcenter-05: a queue call `canceled` on timeout; callcenter-03: billed, answered.
    let canceled = json!({"event": "call:end", "call_id": "q", "billms": 0, "canceled": "TIMEOUT",
        "hangup_cause": "ORIGINATOR_CANCEL"});
    assert_eq!(hook(Provider::Callcenter, canceled), Kind::CallMissed);
    let billed = json!({"event": "call:end", "call_id": "a", "billms": 59028, "hangup_cause": "NORMAL_CLEARING"});
    assert_eq!(hook(Provider::Callcenter, billed), Kind::CallEnded);
    let no_answer = json!({"event": "call:end", "call_id": "n", "hangup_cause": "NO_ANSWER"});
    assert_eq!(hook(Provider::Callcenter, no_answer), Kind::CallMissed);
    // teltel-11: COMPLETED with `is_answered` false; teltel-07: true.
    let completed =
        |answered: bool| json!({"event": "COMPLETED", "call_id": "t", "is_answered": answered});
    assert_eq!(hook(Provider::Teltel, completed(false)), Kind::CallMissed);
    assert_eq!(hook(Provider::Teltel, completed(true)), Kind::CallEnded);
    // ringcentral-47: Disconnected, reason NoAnswer, missedCall true; ringcentral-12: not.
    let party = |missed: bool, reason: Option<&str>| {
        json!({"body": {"telephonySessionId": "r",
        "parties": [{"status": {"code": "Disconnected", "reason": reason}, "missedCall": missed}]}})
    };
    assert_eq!(
        hook(Provider::Ringcentral, party(true, Some("NoAnswer"))),
        Kind::CallMissed
    );
    assert_eq!(
        hook(Provider::Ringcentral, party(true, None)),
        Kind::CallMissed
    );
    assert_eq!(
        hook(Provider::Ringcentral, party(false, Some("TargetBusy"))),
        Kind::CallMissed
    );
    assert_eq!(
        hook(Provider::Ringcentral, party(false, None)),
        Kind::CallEnded
    );
}

#[test]
fn teltel_event_key_fallbacks() {
    let e = post_json(
        Some(Provider::Teltel),
        &json!({"EventType": "RING", "call_id": "x"}),
    );
    assert_eq!((e.event_type.as_str(), e.kind), ("RING", Kind::CallRinging));
    let e = post_json(Some(Provider::Teltel), &json!({"name": "JOIN"}));
    assert_eq!(e.kind, Kind::CallJoined);
    let e = post_json(Some(Provider::Teltel), &json!({"call_id": "x"}));
    assert_eq!((e.event_type.as_str(), e.kind), ("unknown", Kind::Other));
}

// ---- RingCentral ----------------------------------------------------------------------------

fn ringcentral_push() -> Value {
    json!({"uuid":"837270960869181944","subscriptionId":"5c37f936-fa66-4b4b-95af-1e94b51a748d",
      "ownerId":"400144455008","pn_apns":{"aps":{"content-available":1},"uuid":"837270960869181944",
      "event":"/restapi/v1.0/account/400144452008/extension/400144455008/telephony/sessions",
      "timestamp":"2018-06-05T00:14:50.181Z","subscriptionId":"5c37f936-fa66-4b4b-95af-1e94b51a748d",
      "ownerId":"400144455008","body":{"sequence":5,"sessionId":"402936341008",
      "telephonySessionId":"Y3MxNzE4NDE5MDM0MzQwMTgzODRAMTAuNjIuMjUuMTEx","serverId":"10.62.25.111.TAM",
      "eventTime":"2018-06-05T00:14:50.147Z","accountId":"400144452008","parties":[{"sipData":
      {"callId":"555555555555","toTag":"123","fromTag":"456"},"extensionId":"400144455008",
      "id":"cs171841903434018384-2","direction":"Inbound","to":{"phoneNumber":"102","name":"Tom Sawyer",
      "extensionId":"400144455008"},"from":{"phoneNumber":"103","name":"TheCat Jerry",
      "extensionId":"400144457008"},"queueCall":true,"status":{"code":"Proceeding"},
      "missedCall":false,"standAlone":false,"muted":false}],"origin":{"type":"Call"},
      "extensionId":"400144455008"}}})
}

#[test]
fn ringcentral_push_form_from_the_seed() {
    let e = post_json(None, &ringcentral_push());
    assert_eq!(
        summary(&e),
        (
            "ringcentral",
            "Proceeding",
            Kind::CallRinging,
            Some("Y3MxNzE4NDE5MDM0MzQwMTgzODRAMTAuNjIuMjUuMTEx"),
            // Both parties are extensions of the account (#20): the call is internal, though the
            // party's own direction reads Inbound.
            Some(Direction::Internal),
            Some("103"),
            Some("102")
        )
    );
    assert_eq!(time(&e).as_deref(), Some("2018-06-05T00:14:50.147Z"));
}

#[test]
fn ringcentral_plain_webhook_picks_the_owners_party() {
    let party = |ext: &str, code: &str, dir: &str, from: &str, to: &str| {
        json!({
        "extensionId": ext, "id": format!("p-{ext}"), "direction": dir,
        "from": {"phoneNumber": from}, "to": {"phoneNumber": to}, "status": {"code": code}})
    };
    let notification = |owner: &str| {
        json!({"uuid": "1", "event": "/restapi/v1.0/account/1/extension/2/telephony/sessions",
        "subscriptionId": "s", "ownerId": owner, "timestamp": "2024-02-01T10:00:00Z",
        "body": {"telephonySessionId": "TS-1", "eventTime": "2024-02-01T10:00:00.250Z",
            "parties": [party("111", "Disconnected", "Outbound", "+1555", "+1666"),
                        party("222", "Answered", "Inbound", "+1555", "+1666")]}})
    };
    let e = post_json(None, &notification("222"));
    assert_eq!(
        (e.event_type.as_str(), e.kind, e.direction),
        ("Answered", Kind::CallAnswered, Some(Direction::Inbound))
    );
    assert_eq!(
        (e.call_id.as_deref(), time(&e).as_deref()),
        (Some("TS-1"), Some("2024-02-01T10:00:00.250Z"))
    );
    let e = post_json(None, &notification("111"));
    assert_eq!(
        (e.event_type.as_str(), e.kind),
        ("Disconnected", Kind::CallEnded)
    );
    // An owner with no party of its own: the first party speaks.
    let e = post_json(None, &notification("999"));
    assert_eq!(e.event_type, "Disconnected");
}

#[test]
fn ringcentral_status_codes() {
    let cases = [
        ("Setup", Kind::CallStarted),
        ("Proceeding", Kind::CallRinging),
        ("Answered", Kind::CallAnswered),
        ("Disconnected", Kind::CallEnded),
        ("Gone", Kind::CallTransferred),
        ("Parked", Kind::CallParked),
        ("Hold", Kind::CallHeld),
        ("VoiceMail", Kind::VoicemailReceived),
        ("FaxReceive", Kind::FaxReceived),
        ("VoiceMailScreening", Kind::VoicemailReceived),
        ("VMScreening", Kind::VoicemailReceived),
        ("Tds", Kind::Other),
        ("Brand-new", Kind::Other),
    ];
    for (code, kind) in cases {
        let n =
            json!({"body": {"telephonySessionId": "t", "parties": [{"status": {"code": code}}]}});
        let e = post_json(Some(Provider::Ringcentral), &n);
        assert_eq!((e.event_type.as_str(), e.kind), (code, kind));
    }
}

// ---- Detection and bad input ----------------------------------------------------------------

#[test]
fn unknown_but_well_formed_requests_are_kept() {
    let e = post_json(None, &json!({"hello": "world", "event": "ping"}));
    assert_eq!(
        (e.provider.as_str(), e.event_type.as_str(), e.kind),
        ("unknown", "ping", Kind::Other)
    );
    assert_eq!(e.stream, "webhook");
}

#[test]
fn broken_json_is_a_decode_error_with_a_reason() {
    let headers: [(&str, &[u8]); 1] = [("Content-Type", b"application/json")];
    let wire = HttpWire::new("POST", "/", None, headers, b"{\"event\": ");
    let err = provider::decode_http(None, wire, received()).unwrap_err();
    assert!(err.to_string().contains("not valid JSON"), "{err}");
}

#[test]
fn envelopes_round_trip_through_ndjson() {
    let e = sse("chan", "chan.dial_begin", dial_begin());
    let line = e.to_json();
    let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(&line)
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "provider",
            "stream",
            "type",
            "kind",
            "time",
            "received",
            "call_id",
            "direction",
            "from",
            "to",
            "raw",
            "wire"
        ]
    );
    let back: Envelope = serde_json::from_str(&line).unwrap();
    assert_eq!(back, e);
}

/// A real inbound call's 11 notifications, as RingCentral sent them (shared/samples
/// ringcentral-03..13, from github dibyenduroy/csn-data, `PSTN-RingCentral-DataStreams.txt`):
/// three describe the outside (PSTN) party, whose own direction is the reverse of the call's.
#[test]
fn every_notification_of_a_ringcentral_call_agrees_on_its_direction() {
    let text = include_str!("fixtures/ringcentral-inbound-call.jsonl");
    let envelopes: Vec<Envelope> = text
        .lines()
        .map(|line| {
            post_json(
                Some(Provider::Ringcentral),
                &serde_json::from_str(line).unwrap(),
            )
        })
        .collect();
    assert_eq!(envelopes.len(), 11);
    let outside = envelopes
        .iter()
        .filter(|e| {
            let body = e.raw.value();
            let party = &body["body"]["parties"][0];
            party["extensionId"].is_null()
        })
        .count();
    assert_eq!(
        outside, 3,
        "the sample has three notifications of the PSTN party"
    );
    for e in &envelopes {
        assert_eq!(e.direction, Some(Direction::Inbound), "{}", e.to_json());
    }
    // Between two extensions of the account, the call is internal.
    let internal = serde_json::json!({"ownerId": "2", "body": {"telephonySessionId": "s-1",
        "parties": [{"extensionId": "2", "direction": "Inbound", "status": {"code": "Setup"},
        "from": {"phoneNumber": "103", "extensionId": "3"}, "to": {"phoneNumber": "102", "extensionId": "2"}}]}});
    assert_eq!(
        post_json(None, &internal).direction,
        Some(Direction::Internal)
    );
    // A party's name is not a number.
    let anonymous = serde_json::json!({"ownerId": "2", "body": {"telephonySessionId": "s-2",
        "parties": [{"extensionId": "2", "direction": "Inbound", "status": {"code": "Setup"},
        "from": {"name": "Anonymous"}, "to": {"phoneNumber": "+15551230001"}}]}});
    assert_eq!(post_json(None, &anonymous).from, None);
}
