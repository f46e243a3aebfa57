//! Certification bodies (`CB-n`) under consideration for the ISO/IEC 42001 audit. Names are
//! unique and at most one body is selected.

use aims_core::certbody::{CertBody, CertBodyInput, CertBodyStatus};
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::Action;
use aims_store::certbodies as store;
use aims_store::Conn;

use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// Refuses a second selected body and a name already taken by another body.
async fn check(conn: &mut Conn, key: Option<&str>, body: &CertBody) -> Result<()> {
    if let Some(other) = store::key_by_name(conn, &body.fields.name)
        .await?
        .filter(|k| Some(k.as_str()) != key)
    {
        return Err(AppError::conflict(
            "name",
            format!("'{}' is already the name of {other}", body.fields.name),
        ));
    }
    if body.fields.status == CertBodyStatus::Selected {
        if let Some(other) = store::selected(conn)
            .await?
            .filter(|k| Some(k.as_str()) != key)
        {
            return Err(AppError::conflict(
                "status",
                format!(
                    "{other} is already selected; set it to another status first (at most one body is selected)"
                ),
            ));
        }
    }
    Ok(())
}

impl App {
    pub async fn certbody_add(&self, actor: &Actor, input: &CertBodyInput) -> Result<CertBody> {
        actor.require(Action::ManageCertification)?;
        let fields = input.validate(None)?;
        let mut tx = self.db.begin_write().await?;
        let at = now();
        let mut body = CertBody {
            key: String::new(),
            fields,
            created_at: at.clone(),
            updated_at: at,
        };
        check(tx.conn(), None, &body).await?;
        let n = aims_store::counters::next(tx.conn(), Kind::CertBody).await?;
        body.key = Kind::CertBody.key(n);
        store::insert(tx.conn(), n, &body).await?;
        record(
            &mut tx,
            actor,
            Kind::CertBody,
            &body.key,
            actions::CREATE,
            &body,
        )
        .await?;
        tx.commit().await?;
        Ok(body)
    }

    /// Changes the fields given; an unchanged body records nothing.
    pub async fn certbody_update(
        &self,
        actor: &Actor,
        key: &str,
        input: &CertBodyInput,
    ) -> Result<CertBody> {
        actor.require(Action::ManageCertification)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let current = store::get(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("certification body {key}")))?;
        let fields = input.validate(Some(&current.fields))?;
        if fields == current.fields {
            return Ok(current);
        }
        let body = CertBody {
            fields,
            updated_at: now(),
            ..current
        };
        check(tx.conn(), Some(&key), &body).await?;
        store::update(tx.conn(), &body).await?;
        record(&mut tx, actor, Kind::CertBody, &key, actions::UPDATE, &body).await?;
        tx.commit().await?;
        Ok(body)
    }

    pub async fn certbody_get(&self, actor: &Actor, key: &str) -> Result<CertBody> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        store::get(&mut *self.read().await?, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("certification body {key}")))
    }

    /// Every body, in key order.
    pub async fn certbody_list(&self, actor: &Actor) -> Result<Vec<CertBody>> {
        actor.require(Action::Read)?;
        Ok(store::list(&mut *self.read().await?).await?)
    }
}

/// Seeds two candidate certification bodies (fictional).
pub(crate) async fn seed_demo(app: &App, actor: &Actor) -> Result<()> {
    let bodies = [
        (
            "Meridian Assurance Services",
            "Accredited by the national accreditation body for ISO/IEC 27001 and ISO 9001; ISO/IEC 42001 accreditation applied for.",
            &["Financial services", "Healthcare"][..],
            "Has audited two AI management systems at pilot clients; auditors trained in ML lifecycle controls.",
        ),
        (
            "Northgate Certification Ltd",
            "Accredited for ISO/IEC 42001 under the ISO/IEC 42006 scheme.",
            &["Financial services", "Public sector", "Technology"][..],
            "Dedicated AI audit team; certified eleven organisations, none yet in lending.",
        ),
    ];
    for (name, accreditation, sectors, experience) in bodies {
        let input = CertBodyInput {
            name: Some(name.into()),
            accreditation: Some(accreditation.into()),
            sectors: Some(sectors.iter().map(|s| (*s).to_owned()).collect()),
            ai_experience: Some(experience.into()),
            notes: None,
            status: Some("candidate".into()),
        };
        app.certbody_add(actor, &input).await?;
    }
    Ok(())
}
