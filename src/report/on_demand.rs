//! Template values made on first read: the cross-team parts of the report
//! (the alignment tree, `aligned_to`, the funnel plans), which a template
//! may never read (the Markdown report of a large organisation draws no
//! alignment diagram), made from the goals when it first does and handed
//! to it an entry at a time rather than converted whole into template
//! values (a map of values per row, twice the size of the rows).

use super::context::Shared;
use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::Value;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// A list or a map made by `make` from the goals when a template first
/// reads it; each entry becomes a template value when read.
pub(super) struct OnDemand<T> {
    shared: Arc<Shared>,
    make: fn(&Shared) -> T,
    made: OnceLock<T>,
}

impl<T: Entries> OnDemand<T> {
    /// The value `make` makes from `shared`, as a template value.
    pub(super) fn value(shared: &Arc<Shared>, make: fn(&Shared) -> T) -> Value {
        Value::from_object(OnDemand {
            shared: Arc::clone(shared),
            make,
            made: OnceLock::new(),
        })
    }

    fn made(&self) -> &T {
        self.made.get_or_init(|| (self.make)(&self.shared))
    }
}

impl<T> std::fmt::Debug for OnDemand<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnDemand")
            .field("made", &self.made.get().is_some())
            .finish_non_exhaustive()
    }
}

impl<T: Entries> Object for OnDemand<T> {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        T::REPR
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.made().keys()
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.made().len())
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.made().get(&self.shared, key)
    }
}

/// What [`OnDemand`] can hold: a list (by position) or a map (by string
/// key, in key order), read as `Value::from_serialize` of its entries
/// would be.
pub(super) trait Entries: Send + Sync + 'static {
    /// A list or a map.
    const REPR: ObjectRepr;
    /// How many entries.
    fn len(&self) -> usize;
    /// The entry at `key`, as a template value (made from `shared`'s
    /// goals, for entries that keep only where they are).
    fn get(&self, shared: &Shared, key: &Value) -> Option<Value>;
    /// The positions or the keys, in order.
    fn keys(&self) -> Enumerator;
}

impl<S: Serialize + Send + Sync + 'static> Entries for BTreeMap<String, S> {
    const REPR: ObjectRepr = ObjectRepr::Map;

    fn len(&self) -> usize {
        BTreeMap::len(self)
    }

    fn get(&self, _: &Shared, key: &Value) -> Option<Value> {
        Some(Value::from_serialize(BTreeMap::get(self, key.as_str()?)?))
    }

    fn keys(&self) -> Enumerator {
        Enumerator::Values(
            BTreeMap::keys(self)
                .map(|key| Value::from(key.as_str()))
                .collect(),
        )
    }
}
