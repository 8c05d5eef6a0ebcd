mod invalid;
