//! The webhook providers' events of a fake call, shaped as their documents show them.

use serde_json::json;

use super::{Call, Step};

impl Call {
    pub(super) fn telphin(&self) -> Vec<Step> {
        let flow = if self.inbound() { "IN" } else { "OUT" };
        let fields = |event: &str, status: &str| {
            json!({"EventType": event, "CallID": self.id,
            "CallerIDNum": self.caller.number, "CalledNumber": self.callee.number, "CallStatus": status, "CallFlow": flow,
            "CalledExtension": "000*099@sipproxy.telphin.ru", "SubCallID": format!("{}-1", self.id)})
        };
        let dial = if self.inbound() {
            "dial-in"
        } else {
            "dial-out"
        };
        let mut steps = vec![Step::new(dial, fields(dial, "CALLING"))];
        if self.answered() {
            steps.push(Step::new("answer", fields("answer", "ANSWER")));
        }
        let outcome = if self.answered() {
            "ANSWER"
        } else {
            "NOANSWER"
        };
        steps.push(Step::new("hangup", fields("hangup", outcome)));
        steps
    }

    pub(super) fn callcenter(&self) -> Vec<Step> {
        let kind = if self.inbound() {
            "inbound"
        } else {
            "outbound"
        };
        let event = |name: &str| {
            json!({"event": name, "id": format!("{}-leg", self.id), "call_id": self.id,
            "site_id": 1, "type": kind, "cid_num": self.caller.number, "dst_num": self.callee.number, "a2": "US"})
        };
        let mut steps = vec![Step::new("call:ring", event("call:ring"))];
        if self.answered() {
            steps.push(Step::new("call:answer", event("call:answer")));
        }
        let mut end = event("call:end");
        end["hangup_cause"] = json!(if self.answered() {
            "NORMAL_CLEARING"
        } else {
            "NO_ANSWER"
        });
        steps.push(Step::new("call:end", end));
        steps
    }

    pub(super) fn teltel(&self) -> Vec<Step> {
        let direction = if self.inbound() {
            "inbound"
        } else {
            "outbound"
        };
        let event = |name: &str| {
            json!({"event": name, "id": format!("{}-{name}", self.id),
            "accountcode": "acc-1", "session_id": format!("s-{}", self.id), "call_id": self.id,
            "direction": direction, "type": "standard", "from": self.caller.number, "to": self.callee.number})
        };
        let mut result = event("RINGRESULT");
        result["state"] = json!(if self.answered() {
            "ANSWER"
        } else {
            "NOANSWER"
        });
        let mut steps = vec![
            Step::new("START", event("START")),
            Step::new("RING", event("RING")),
            Step::new("RINGRESULT", result),
        ];
        if self.answered() {
            steps.push(Step::new("JOIN", event("JOIN")));
            steps.push(Step::new("LEAVE", event("LEAVE")));
        }
        let mut done = event("COMPLETED");
        done["is_answered"] = json!(self.answered());
        steps.push(Step::new("COMPLETED", done));
        steps
    }

    pub(super) fn ringcentral(&self) -> Vec<Step> {
        let direction = if self.inbound() {
            "Inbound"
        } else {
            "Outbound"
        };
        let notification = |code: &str| {
            json!({"uuid": format!("{}-{code}", self.id), "event":
            "/restapi/v1.0/account/1/extension/2/telephony/sessions", "subscriptionId": "sub-1",
            "ownerId": "2", "body": {"telephonySessionId": self.id, "sequence": 1,
            "parties": [{"extensionId": "2", "direction": direction, "from": {"phoneNumber": self.caller.number},
            "to": {"phoneNumber": self.callee.number}, "status": {"code": code}, "missedCall": !self.answered()}]}})
        };
        let mut steps = vec![
            Step::new("Setup", notification("Setup")),
            Step::new("Proceeding", notification("Proceeding")),
        ];
        if self.answered() {
            steps.push(Step::new("Answered", notification("Answered")));
        }
        steps.push(Step::new("Disconnected", notification("Disconnected")));
        steps
    }
}
