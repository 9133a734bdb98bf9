//! The SAM template agrees with the code: every route served is declared and every declared route
//! served, by the same function; each role grants exactly what its function declares it needs.

use keys_core::routes::{Function, Route};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};

type Routes = BTreeMap<String, BTreeSet<(String, String)>>;

fn template() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml");
    let text = std::fs::read_to_string(path).expect("infra/template.yaml");
    serde_yaml::from_str(&text).expect("the template is YAML")
}

/// The functions of the template by binary name (their CodeUri is `../target/lambda/<binary>/`,
/// what infra/build.sh writes), with their resource.
fn template_functions(template: &Value) -> BTreeMap<String, Value> {
    let resources = template["Resources"].as_mapping().expect("Resources");
    resources
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Serverless::Function")
        .map(|(name, resource)| {
            let code = resource["Properties"]["CodeUri"]
                .as_str()
                .unwrap_or_else(|| panic!("{name:?} has no CodeUri"));
            let binary = code
                .strip_prefix("../target/lambda/")
                .and_then(|rest| rest.strip_suffix('/'))
                .unwrap_or_else(|| {
                    panic!("{name:?}: CodeUri {code} is not ../target/lambda/<binary>/ (infra/build.sh)")
                });
            (binary.to_string(), resource.clone())
        })
        .collect()
}

/// The template's API routes per function: (GET|POST, path), and separately the paths it sends
/// with method ANY (so the function's own 405 view answers a wrong method, and the catch-all its
/// 404 view) instead of API Gateway's "Missing Authentication Token".
fn template_routes(template: &Value) -> (Routes, Routes, BTreeSet<String>) {
    let mut routes = Routes::new();
    let mut any = Routes::new();
    let functions = template_functions(template);
    for (binary, resource) in &functions {
        let events = resource["Properties"]["Events"]
            .as_mapping()
            .cloned()
            .unwrap_or_default();
        for (_, event) in events {
            if event["Type"] != "Api" {
                continue;
            }
            assert!(
                event["Properties"]["RestApiId"].is_tagged_ref("Api"),
                "{binary}: every route is on the one REST API"
            );
            let method = event["Properties"]["Method"]
                .as_str()
                .expect("Method")
                .to_uppercase();
            let path = event["Properties"]["Path"]
                .as_str()
                .expect("Path")
                .to_string();
            let into = if method == "ANY" {
                &mut any
            } else {
                &mut routes
            };
            into.entry(binary.clone())
                .or_default()
                .insert((method, path));
        }
    }
    (routes, any, functions.into_keys().collect())
}

/// `!Ref NAME` as serde_yaml reads it.
trait TaggedRef {
    fn is_tagged_ref(&self, name: &str) -> bool;
}

impl TaggedRef for Value {
    fn is_tagged_ref(&self, name: &str) -> bool {
        matches!(self, Value::Tagged(t) if t.tag == "!Ref" && t.value == name)
    }
}

fn router_routes() -> Routes {
    local::functions()
        .into_iter()
        .map(|(binary, router)| {
            let routes = router
                .routes()
                .into_iter()
                .map(|r| (r.method().as_str().to_string(), r.path().to_string()))
                .collect();
            (binary.to_string(), routes)
        })
        .collect()
}

#[test]
fn template_routes_equal_the_routers() {
    let (declared, _, _) = template_routes(&template());
    let served = router_routes();
    for (binary, routes) in &served {
        let in_template = declared.get(binary).cloned().unwrap_or_default();
        let missing: Vec<_> = routes.difference(&in_template).collect();
        assert!(
            missing.is_empty(),
            "{binary} serves routes the template does not declare: {missing:?}"
        );
    }
    for (binary, routes) in &declared {
        let in_router = served.get(binary).cloned().unwrap_or_default();
        let unserved: Vec<_> = routes.difference(&in_router).collect();
        assert!(
            unserved.is_empty(),
            "the template routes {unserved:?} to {binary}, which does not serve them"
        );
    }
    let total: usize = served.values().map(BTreeSet::len).sum();
    assert!(total >= 20, "every step's routes were compared ({total})");
}

/// The routes as `keys_core::routes` declares them, per function.
fn declared_routes() -> Routes {
    let mut routes = Routes::new();
    for route in Route::ALL {
        routes
            .entry(route.function().binary().to_string())
            .or_default()
            .insert((
                route.method().as_str().to_string(),
                route.path().to_string(),
            ));
    }
    routes
}

#[test]
fn routers_serve_exactly_the_routes_module() {
    assert_eq!(
        router_routes(),
        declared_routes(),
        "each function's router serves exactly the routes keys_core::routes gives it"
    );
    let binaries: BTreeSet<String> = local::functions()
        .into_iter()
        .map(|(b, _)| b.to_string())
        .collect();
    let named: BTreeSet<String> = Function::ALL
        .iter()
        .map(|f| f.binary().to_string())
        .collect();
    assert_eq!(
        binaries, named,
        "keys_core::routes names every HTTP function"
    );
}

#[test]
fn template_routes_equal_the_routes_module() {
    let (declared, _, _) = template_routes(&template());
    assert_eq!(
        declared,
        declared_routes(),
        "infra/template.yaml routes exactly what keys_core::routes declares"
    );
}

/// The README's "## Routes" section: the text between its heading and the next one.
fn readme_routes_table() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let text = std::fs::read_to_string(path).expect("README.md");
    let start = text
        .find("\n## Routes\n")
        .expect("README.md has a \"## Routes\" section");
    let rest = &text[start + "\n## Routes\n".len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end]
        .lines()
        .filter(|line| line.starts_with('|'))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn the_readme_routes_table_is_the_routes_module() {
    let expected = keys_core::routes::markdown_table();
    assert_eq!(
        readme_routes_table(),
        expected,
        "README.md's \"## Routes\" table must be exactly this (keys_core::routes::markdown_table):\n{expected}"
    );
}

#[test]
fn every_path_sends_other_methods_to_its_function_and_unknown_paths_to_login() {
    let (_, any, _) = template_routes(&template());
    for (binary, routes) in router_routes() {
        let mut expected: BTreeSet<(String, String)> = routes
            .into_iter()
            .map(|(_, path)| ("ANY".to_string(), path))
            .collect();
        if binary == "login" {
            expected.insert(("ANY".into(), "/{proxy+}".into()));
        }
        assert_eq!(
            any.get(&binary).cloned().unwrap_or_default(),
            expected,
            "{binary}: one ANY route per path it serves (its own 405 view)"
        );
    }
}

#[test]
fn each_role_grants_exactly_what_its_function_declares() {
    let template = template();
    let functions = template_functions(&template);
    let needs: BTreeMap<&str, _> = local::needs().into_iter().collect();
    assert_eq!(
        functions
            .keys()
            .map(String::as_str)
            .collect::<BTreeSet<_>>(),
        needs.keys().copied().collect::<BTreeSet<_>>(),
        "every function declares its needs"
    );
    for (binary, resource) in &functions {
        let policies = resource["Properties"]["Policies"]
            .as_sequence()
            .unwrap_or_else(|| panic!("{binary} has no Policies"));
        let mut granted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for policy in policies {
            let statements = policy["Statement"]
                .as_sequence()
                .unwrap_or_else(|| panic!("{binary}: policies are inline statements"));
            for statement in statements {
                assert_eq!(statement["Effect"], "Allow", "{binary}");
                let sid = statement["Sid"].as_str().expect("Sid").to_string();
                let resource_text = format!("{:?}", statement["Resource"]);
                assert!(
                    !resource_text.contains("\"*\""),
                    "{binary}/{sid}: no wildcard resource ({resource_text})"
                );
                let actions = granted.entry(sid.clone()).or_default();
                for action in statement["Action"].as_sequence().expect("Action list") {
                    actions.insert(action.as_str().expect("action").to_string());
                }
                let expected_resource = match sid.as_str() {
                    "Table" => "Table",
                    "SendMail" => ":identity/${SenderDomain}",
                    "MasterSecret" => ":secret:${MasterSecretId}-??????",
                    "DeadLetters" if binary == "oidc-backchannel" => "LogoutDeadLetterQueue",
                    "DeadLetters" => "MailDeadLetterQueue",
                    "SigningKey" => "SigningKey",
                    other => panic!("{binary}: unexpected statement {other}"),
                };
                assert!(
                    resource_text.contains(expected_resource),
                    "{binary}/{sid} is scoped to {expected_resource}: {resource_text}"
                );
            }
        }
        let declared: BTreeMap<String, BTreeSet<String>> =
            keys_core::permissions::actions_by_sid(needs[binary.as_str()])
                .into_iter()
                .map(|(sid, actions)| {
                    (
                        sid.to_string(),
                        actions.into_iter().map(String::from).collect(),
                    )
                })
                .collect();
        assert_eq!(
            granted, declared,
            "{binary}: the role in infra/template.yaml must grant exactly what functions/{binary} declares in NEEDS"
        );
    }
}

#[test]
fn every_function_crate_is_in_the_template_and_no_other() {
    let (_, _, binaries) = template_routes(&template());
    let mut expected: BTreeSet<String> = local::functions()
        .into_iter()
        .map(|(b, _)| b.to_string())
        .collect();
    expected.insert("mail-dispatch".into());
    expected.insert("oidc-backchannel".into());
    assert_eq!(binaries, expected);
    let on_disk: BTreeSet<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../functions"))
            .expect("functions/")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
    assert_eq!(
        on_disk, expected,
        "functions/ holds exactly the template's functions"
    );
}

#[test]
fn the_table_is_declared_as_the_store_expects() {
    let template = template();
    let table = &template["Resources"]["Table"]["Properties"];
    assert_eq!(
        table["TimeToLiveSpecification"]["AttributeName"],
        "expires_at"
    );
    assert_eq!(table["StreamSpecification"]["StreamViewType"], "NEW_IMAGE");
    assert_eq!(table["BillingMode"], "PAY_PER_REQUEST");
    let keys: Vec<(&str, &str)> = table["KeySchema"]
        .as_sequence()
        .expect("KeySchema")
        .iter()
        .map(|k| {
            (
                k["AttributeName"].as_str().unwrap_or_default(),
                k["KeyType"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(keys, [("pk", "HASH"), ("sk", "RANGE")]);
}

#[test]
fn logical_ids_are_alphanumeric_as_cloudformation_requires() {
    let template = template();
    let alphanumeric = |id: &str| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric());
    for (name, resource) in template["Resources"].as_mapping().expect("Resources") {
        let name = name.as_str().expect("resource id");
        assert!(alphanumeric(name), "resource {name}");
        // SAM turns each event into resources named after it (function id + event id).
        for (event, _) in resource["Properties"]["Events"]
            .as_mapping()
            .cloned()
            .unwrap_or_default()
        {
            let event = event.as_str().expect("event id");
            assert!(alphanumeric(event), "event {event} of {name}");
        }
    }
}

#[test]
fn the_gateways_own_failures_are_the_services_retry_page() {
    use keys_core::lang::Lang;
    let template = template();
    let responses = &template["Resources"]["Api"]["Properties"]["GatewayResponses"];
    for (kind, status) in [("DEFAULT_5XX", "503"), ("THROTTLED", "429")] {
        let response = &responses[kind];
        assert_eq!(response["StatusCode"], status, "{kind}");
        let headers = &response["ResponseParameters"]["Headers"];
        assert_eq!(
            headers["Retry-After"].as_str(),
            Some(format!("'{}'", keys_core::web::RETRY_AFTER_SECONDS).as_str()),
            "{kind} says when to try again, as the functions' 503s do"
        );
        assert_eq!(headers["Cache-Control"], "'no-store'");
        let html = response["ResponseTemplates"]["text/html"]
            .as_str()
            .expect("an HTML page");
        for lang in [Lang::Nl, Lang::Fr, Lang::De, Lang::En] {
            let text = keys_core::i18n::t(lang, "msg-unavailable");
            assert!(html.contains(&text), "{kind}: the {lang:?} retry text");
        }
        assert!(
            !html.contains('$') && !html.contains("\n#"),
            "nothing API Gateway's template language would read"
        );
        let json: serde_json::Value = serde_json::from_str(
            response["ResponseTemplates"]["application/json"]
                .as_str()
                .expect("a JSON view"),
        )
        .expect("the JSON view parses");
        assert_eq!(json["step"], "error");
        assert_eq!(json["status"].to_string(), status);
        assert_eq!(json["messages"][0]["id"], "unavailable");
    }
}

#[test]
fn every_function_that_sends_mail_has_its_failed_sends_counted_for_the_alarm() {
    let template = template();
    let functions = template_functions(&template);
    let needs: BTreeMap<&str, _> = local::needs().into_iter().collect();
    let resources = template["Resources"].as_mapping().expect("Resources");
    // Log group logical id → whether a metric filter counts the SES failure lines in it.
    let counted: BTreeSet<String> = resources
        .values()
        .filter(|r| r["Type"] == "AWS::Logs::MetricFilter")
        .filter(|r| {
            r["Properties"]["FilterPattern"]
                .as_str()
                .is_some_and(|p| p.contains(keys_core::mailer::ses::SEND_FAILED_EVENT))
                && r["Properties"]["MetricTransformations"][0]["MetricName"] == "SesSendFailures"
        })
        .filter_map(|r| {
            let group = &r["Properties"]["LogGroupName"];
            match group {
                Value::Tagged(tagged) if tagged.tag == "!Ref" => {
                    tagged.value.as_str().map(str::to_string)
                }
                _ => None,
            }
        })
        .collect();
    let mut senders = 0;
    for (binary, resource) in &functions {
        if !needs[binary.as_str()].contains(&keys_core::permissions::Need::SendMail) {
            continue;
        }
        senders += 1;
        let group = &resource["Properties"]["LoggingConfig"]["LogGroup"];
        let group = match group {
            Value::Tagged(tagged) if tagged.tag == "!Ref" => tagged.value.as_str().unwrap_or(""),
            _ => panic!("{binary}: LoggingConfig.LogGroup is a !Ref"),
        };
        assert!(
            counted.contains(group),
            "{binary} sends mail: a metric filter on {group} must count its failed sends"
        );
    }
    assert!(senders >= 7, "{senders} functions send mail");
    let alarm = &template["Resources"]["SesSendFailureAlarm"]["Properties"];
    assert_eq!(alarm["MetricName"], "SesSendFailures");
}
