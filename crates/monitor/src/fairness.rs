//! Group fairness for one sensitive attribute, with fairlearn 0.15's default definitions.
//!
//! Per group: count, selection rate P(ŷ = 1), true positive rate, false positive rate and
//! accuracy. Differences are max - min over the groups, ratios min / max. Equalized odds
//! difference = max(TPR difference, FPR difference); equalized odds ratio = min of the two
//! ratios; equal opportunity = TPR difference and ratio; disparate impact ratio = demographic
//! parity ratio, and the four-fifths rule passes when it is at least 0.8. A rate that is
//! undefined for a group (no positives for TPR, no negatives for FPR) is left out of the
//! differences. Rows with a missing group, label or prediction are left out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::read::MISSING;

/// One group's rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRates {
    pub count: u64,
    pub selection_rate: f64,
    pub tpr: Option<f64>,
    pub fpr: Option<f64>,
    pub accuracy: f64,
}

/// Fairness of one sensitive attribute in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    pub by_group: BTreeMap<String, GroupRates>,
    pub demographic_parity_difference: Option<f64>,
    pub demographic_parity_ratio: Option<f64>,
    pub equalized_odds_difference: Option<f64>,
    pub equalized_odds_ratio: Option<f64>,
    pub equal_opportunity_difference: Option<f64>,
    pub equal_opportunity_ratio: Option<f64>,
    pub disparate_impact_ratio: Option<f64>,
    pub four_fifths_rule_pass: Option<bool>,
}

#[derive(Default, Clone, Copy)]
struct Confusion {
    tp: u64,
    fp: u64,
    tn: u64,
    fneg: u64,
}

/// Computes the attribute's fairness from group codes, labels and predictions.
pub fn attribute(
    codes: &[u32],
    categories: &[String],
    label: &[f64],
    prediction: &[f64],
    positive: f64,
) -> Attribute {
    let mut counts = vec![Confusion::default(); categories.len()];
    for i in 0..codes.len() {
        if codes[i] == MISSING || label[i].is_nan() || prediction[i].is_nan() {
            continue;
        }
        let c = &mut counts[codes[i] as usize];
        match (label[i] == positive, prediction[i] == positive) {
            (true, true) => c.tp += 1,
            (false, true) => c.fp += 1,
            (false, false) => c.tn += 1,
            (true, false) => c.fneg += 1,
        }
    }
    let mut by_group = BTreeMap::new();
    for (name, c) in categories.iter().zip(&counts) {
        let n = c.tp + c.fp + c.tn + c.fneg;
        if n == 0 {
            continue;
        }
        let rate = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
        by_group.insert(
            name.clone(),
            GroupRates {
                count: n,
                selection_rate: (c.tp + c.fp) as f64 / n as f64,
                tpr: rate(c.tp, c.tp + c.fneg),
                fpr: rate(c.fp, c.fp + c.tn),
                accuracy: (c.tp + c.tn) as f64 / n as f64,
            },
        );
    }
    let sel = spread(by_group.values().map(|g| Some(g.selection_rate)));
    let tpr = spread(by_group.values().map(|g| g.tpr));
    let fpr = spread(by_group.values().map(|g| g.fpr));
    let both = |a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64| match (a, b) {
        (Some(a), Some(b)) => Some(f(a, b)),
        _ => None,
    };
    Attribute {
        demographic_parity_difference: sel.map(|s| s.difference),
        demographic_parity_ratio: sel.and_then(|s| s.ratio),
        equalized_odds_difference: both(
            tpr.map(|s| s.difference),
            fpr.map(|s| s.difference),
            f64::max,
        ),
        equalized_odds_ratio: both(
            tpr.and_then(|s| s.ratio),
            fpr.and_then(|s| s.ratio),
            f64::min,
        ),
        equal_opportunity_difference: tpr.map(|s| s.difference),
        equal_opportunity_ratio: tpr.and_then(|s| s.ratio),
        disparate_impact_ratio: sel.and_then(|s| s.ratio),
        four_fifths_rule_pass: sel.and_then(|s| s.ratio).map(|r| r >= 0.8),
        by_group,
    }
}

#[derive(Clone, Copy)]
struct Spread {
    difference: f64,
    ratio: Option<f64>,
}

/// max - min and min / max over the defined values; None when none is defined.
fn spread(values: impl Iterator<Item = Option<f64>>) -> Option<Spread> {
    let defined: Vec<f64> = values.flatten().collect();
    let max = defined.iter().copied().reduce(f64::max)?;
    let min = defined.iter().copied().reduce(f64::min)?;
    Some(Spread {
        difference: max - min,
        ratio: (max != 0.0).then(|| min / max),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_groups_give_hand_computed_rates() {
        let cats = vec!["a".to_string(), "b".to_string()];
        // a: (y,ŷ) = (1,1),(0,0); b: (1,0),(0,1),(1,1),(0,0)
        let codes = [0, 0, 1, 1, 1, 1];
        let y = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
        let p = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0];
        let f = attribute(&codes, &cats, &y, &p, 1.0);
        assert_eq!(f.by_group["a"].selection_rate, 0.5);
        assert_eq!(f.by_group["b"].tpr, Some(0.5));
        assert_eq!(f.by_group["b"].fpr, Some(0.5));
        assert_eq!(f.demographic_parity_difference, Some(0.0));
        assert_eq!(f.equalized_odds_difference, Some(0.5));
        assert_eq!(f.equal_opportunity_ratio, Some(0.5));
        assert_eq!(f.four_fifths_rule_pass, Some(true));
    }
}
