//! Exact analysis of the request space: the partition, `accord diff` and `accord verify`.

mod exactness;
