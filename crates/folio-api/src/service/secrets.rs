//! The credentials inside an async job's parameters (the PDF's `password`, the source URL's
//! `httppassword`), kept apart from them in the job record: the queue erases a job's secrets when
//! it ends, while its parameters stay readable until the job expires.

use serde_json::{Map, Value};

/// Where each secret sits in a serialised [`Task`](super::task::Task): a path of object keys
/// (`*` = every element of a list, numbered in the secret's name), and its name among the
/// secrets.
const SECRETS: &[(&[&str], &str)] = &[
    (&["password"], "password"),
    (&["sources", "*", "password"], "httppassword"),
    (
        &["operation", "protection", "owner_password"],
        "ownerpassword",
    ),
    (
        &["operation", "protection", "user_password"],
        "userpassword",
    ),
];

/// Each object holding a secret at `path` (its last key), with the secret's name: `name`, or
/// `name.3` below the fourth element of a `*` list.
fn holders<'a>(
    value: &'a mut Value,
    path: &[&str],
    name: String,
    out: &mut Vec<(&'a mut Map<String, Value>, String)>,
) {
    match path {
        [] => {}
        [_last] => {
            if let Some(map) = value.as_object_mut() {
                out.push((map, name));
            }
        }
        ["*", rest @ ..] => {
            if let Some(items) = value.as_array_mut() {
                for (i, item) in items.iter_mut().enumerate() {
                    holders(item, rest, format!("{name}.{i}"), out);
                }
            }
        }
        [key, rest @ ..] => {
            if let Some(inner) = value.get_mut(*key) {
                holders(inner, rest, name, out);
            }
        }
    }
}

/// Take the secrets out of a job's parameters: `(params without them, the secrets)`. Empty and
/// null values stay where they are (nothing to hide), so `None` means the job has no secrets.
pub fn split(mut params: Value) -> (Value, Option<Value>) {
    let mut secrets = Map::new();
    for (path, name) in SECRETS {
        let Some(last) = path.last() else { continue };
        let mut found = Vec::new();
        holders(&mut params, path, (*name).to_string(), &mut found);
        for (parent, name) in found {
            if parent
                .get(*last)
                .is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()))
                && let Some(value) = parent.remove(*last)
            {
                secrets.insert(name, value);
            }
        }
    }
    let secrets = (!secrets.is_empty()).then_some(Value::Object(secrets));
    (params, secrets)
}

/// The inverse of [`split`]: the parameters with the secrets put back, for the worker. Jobs
/// recorded before secrets were kept apart have them in their parameters and none here.
pub fn merge(mut params: Value, secrets: Option<&Value>) -> Value {
    let Some(secrets) = secrets else {
        return params;
    };
    for (path, name) in SECRETS {
        let Some(last) = path.last() else { continue };
        let mut found = Vec::new();
        holders(&mut params, path, (*name).to_string(), &mut found);
        for (parent, name) in found {
            if let Some(value) = secrets.get(&name) {
                parent.insert((*last).to_string(), value.clone());
            }
        }
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_leave_the_params_and_come_back() {
        let params = json!({
            "password": "pdf-pw",
            "sources": [
                { "type": "remote", "url": "https://e.example/a.pdf", "username": "u", "password": "http-pw" },
                { "type": "stored", "token": "t" },
                { "type": "remote", "url": "https://e.example/b.pdf", "password": "other-pw" },
            ],
            "operation": { "op": "protect", "protection": { "owner_password": "o", "user_password": "", "algorithm": "Aes128" } },
            "pages": "0-",
        });
        let (kept, secrets) = split(params.clone());
        assert_eq!(
            kept,
            json!({
                "sources": [
                    { "type": "remote", "url": "https://e.example/a.pdf", "username": "u" },
                    { "type": "stored", "token": "t" },
                    { "type": "remote", "url": "https://e.example/b.pdf" },
                ],
                "operation": { "op": "protect", "protection": { "user_password": "", "algorithm": "Aes128" } },
                "pages": "0-",
            })
        );
        assert_eq!(
            secrets,
            Some(json!({
                "password": "pdf-pw",
                "httppassword.0": "http-pw",
                "httppassword.2": "other-pw",
                "ownerpassword": "o",
            }))
        );
        assert_eq!(merge(kept, secrets.as_ref()), params);
    }

    #[test]
    fn jobs_without_secrets_are_left_alone() {
        let params = json!({ "password": "", "sources": [{ "type": "stored", "token": "t" }] });
        assert_eq!(split(params.clone()), (params.clone(), None));
        assert_eq!(merge(params.clone(), None), params);
        let remote = json!({ "password": "", "sources": [{ "type": "remote", "url": "u", "password": null }] });
        assert_eq!(split(remote.clone()), (remote, None));
    }
}
