pub mod device_filter;
pub mod sharing;
