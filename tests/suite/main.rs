mod invalid;
mod sharing;
