//! The SAM template and the functions' routers agree: every route served is declared, and every
//! declared route is served, by the same function.

use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};

type Routes = BTreeMap<String, BTreeSet<(String, String)>>;

fn template() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml");
    let text = std::fs::read_to_string(path).expect("infra/template.yaml");
    serde_yaml::from_str(&text).expect("the template is YAML")
}

fn template_routes(template: &Value) -> (Routes, BTreeSet<String>) {
    let mut routes = Routes::new();
    let mut binaries = BTreeSet::new();
    let resources = template["Resources"].as_mapping().expect("Resources");
    for (name, resource) in resources {
        if resource["Type"] != "AWS::Serverless::Function" {
            continue;
        }
        let binary = resource["Metadata"]["BuildProperties"]["Binary"]
            .as_str()
            .unwrap_or_else(|| panic!("{name:?} names no Binary"))
            .to_string();
        assert_eq!(
            resource["Metadata"]["BuildMethod"], "rust-cargolambda",
            "{binary} is built by cargo-lambda"
        );
        binaries.insert(binary.clone());
        let events = resource["Properties"]["Events"]
            .as_mapping()
            .cloned()
            .unwrap_or_default();
        for (_, event) in events {
            if event["Type"] == "HttpApi" {
                let method = event["Properties"]["Method"]
                    .as_str()
                    .expect("Method")
                    .to_uppercase();
                let path = event["Properties"]["Path"]
                    .as_str()
                    .expect("Path")
                    .to_string();
                routes
                    .entry(binary.clone())
                    .or_default()
                    .insert((method, path));
            }
        }
    }
    (routes, binaries)
}

fn router_routes() -> Routes {
    local::functions()
        .into_iter()
        .map(|(binary, router)| {
            let routes = router
                .routes()
                .into_iter()
                .map(|r| (r.method.to_string(), r.path.to_string()))
                .collect();
            (binary.to_string(), routes)
        })
        .collect()
}

#[test]
fn template_routes_equal_the_routers() {
    let (declared, _) = template_routes(&template());
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

#[test]
fn every_function_crate_is_in_the_template_and_no_other() {
    let (_, binaries) = template_routes(&template());
    let mut expected: BTreeSet<String> = local::functions()
        .into_iter()
        .map(|(b, _)| b.to_string())
        .collect();
    expected.insert("mail-dispatch".into());
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
