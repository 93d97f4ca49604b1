//! SQL-building helpers both backends share (sqlx's `QueryBuilder`, which
//! numbers placeholders in each database's own spelling).

use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

/// ` (id1, id2, ...)` as bound parameters, for an `IN` list; ` (NULL)`
/// (which matches nothing) when `ids` is empty.
pub fn push_ids<DB: Database>(qb: &mut QueryBuilder<DB>, ids: &[Uuid])
where
    for<'q> Uuid: Encode<'q, DB> + Type<DB>,
{
    if ids.is_empty() {
        qb.push(" (NULL)");
        return;
    }
    qb.push(" (");
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    qb.push(")");
}
