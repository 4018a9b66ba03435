"""Scrapy spiders that land raw documents from each configured source."""
