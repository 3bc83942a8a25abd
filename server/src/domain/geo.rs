use super::ValidationError;

/// A WGS-84 position: latitude −90..=90, longitude −180..=180, both finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

impl Coordinates {
    /// `field` is the prefix used in errors, e.g. `homeLocation` gives `homeLocation.lat`.
    pub fn parse(field: &str, lat: f64, lon: f64) -> Result<Self, ValidationError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(ValidationError::new(
                format!("{field}.lat"),
                crate::msg!("number-range", min = -90, max = 90),
            ));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(ValidationError::new(
                format!("{field}.lon"),
                crate::msg!("number-range", min = -180, max = 180),
            ));
        }
        Ok(Self { lat, lon })
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lon(&self) -> f64 {
        self.lon
    }
}

/// How far a shopper is willing to travel from home, in kilometres: more than 0, at most 1,000.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TravelRadiusKm(f64);

impl TravelRadiusKm {
    pub const MAX: f64 = 1_000.0;

    pub fn parse(field: &str, km: f64) -> Result<Self, ValidationError> {
        if !km.is_finite() || km <= 0.0 {
            return Err(ValidationError::new(field, crate::msg!("km-positive")));
        }
        if km > Self::MAX {
            return Err(ValidationError::new(field, crate::msg!("km-at-most", max = Self::MAX)));
        }
        Ok(Self(km))
    }

    pub fn km(&self) -> f64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_reject_nan_and_out_of_range() {
        assert!(Coordinates::parse("home", 49.8397, 24.0297).is_ok());
        assert_eq!(Coordinates::parse("home", f64::NAN, 0.0).unwrap_err().field, "home.lat");
        assert_eq!(Coordinates::parse("home", 91.0, 0.0).unwrap_err().field, "home.lat");
        assert_eq!(Coordinates::parse("home", 0.0, -180.5).unwrap_err().field, "home.lon");
        assert_eq!(
            Coordinates::parse("home", 0.0, f64::INFINITY).unwrap_err().field,
            "home.lon"
        );
    }

    #[test]
    fn travel_radius_must_be_positive_and_bounded() {
        assert_eq!(TravelRadiusKm::parse("r", 25.0).unwrap().km(), 25.0);
        for bad in [0.0, -1.0, f64::NAN, 1000.5] {
            assert!(TravelRadiusKm::parse("r", bad).is_err(), "{bad}");
        }
    }
}
