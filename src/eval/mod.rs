pub mod device_filter;
