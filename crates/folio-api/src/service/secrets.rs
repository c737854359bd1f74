//! The credentials inside an async job's parameters (the PDF's `password`, the source URL's
//! `httppassword`), kept apart from them in the job record: the queue erases a job's secrets when
//! it ends, while its parameters stay readable until the job expires.

use serde_json::{Map, Value};

/// Where each secret sits in a serialised [`ConvertJob`](super::conversion::ConvertJob): a path
/// of object keys, and its name among the secrets.
const SECRETS: &[(&[&str], &str)] = &[
    (&["password"], "password"),
    (&["source", "password"], "httppassword"),
];

/// Take the secrets out of a job's parameters: `(params without them, the secrets)`. Empty and
/// null values stay where they are (nothing to hide), so `None` means the job has no secrets.
pub fn split(mut params: Value) -> (Value, Option<Value>) {
    let mut secrets = Map::new();
    for (path, name) in SECRETS {
        let Some((last, parents)) = path.split_last() else {
            continue;
        };
        let Some(parent) = parents
            .iter()
            .try_fold(&mut params, |v, key| v.get_mut(*key))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if parent
            .get(*last)
            .is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()))
            && let Some(value) = parent.remove(*last)
        {
            secrets.insert((*name).to_string(), value);
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
        let (Some(value), Some((last, parents))) = (secrets.get(*name), path.split_last()) else {
            continue;
        };
        if let Some(parent) = parents
            .iter()
            .try_fold(&mut params, |v, key| v.get_mut(*key))
            .and_then(Value::as_object_mut)
        {
            parent.insert((*last).to_string(), value.clone());
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
            "source": { "type": "remote", "url": "https://e.example/a.pdf", "username": "u", "password": "http-pw" },
            "pages": "0-",
        });
        let (kept, secrets) = split(params.clone());
        assert_eq!(
            kept,
            json!({ "source": { "type": "remote", "url": "https://e.example/a.pdf", "username": "u" }, "pages": "0-" })
        );
        assert_eq!(
            secrets,
            Some(json!({ "password": "pdf-pw", "httppassword": "http-pw" }))
        );
        assert_eq!(merge(kept, secrets.as_ref()), params);
    }

    #[test]
    fn jobs_without_secrets_are_left_alone() {
        let params = json!({ "password": "", "source": { "type": "stored", "token": "t" } });
        assert_eq!(split(params.clone()), (params.clone(), None));
        assert_eq!(merge(params.clone(), None), params);
        let remote =
            json!({ "password": "", "source": { "type": "remote", "url": "u", "password": null } });
        assert_eq!(split(remote.clone()), (remote, None));
    }
}
