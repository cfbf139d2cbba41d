#!/usr/bin/python3
"""browser_test.py - the search page of `fundgrube serve` in Debian's headless
Chromium, driven by Selenium (python3-selenium, chromium-driver).

Indexes a few German files, starts the real server on a free loopback port and
uses the page as a person would: types a German query and sees highlighted
hits, clicks a facet and sees the list filtered (the filter in the query),
follows "Meinten Sie", opens the preview, uses the "Wie wird gesucht?" page and
the status page.  A screenshot of each state is kept in --artefacts.

Usage: browser_test.py --build BUILD_DIR --artefacts DIR
Exit status 0 on success, 77 (skipped) when Selenium or Chromium is missing.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("SKIP: python3-selenium is not installed", file=sys.stderr)
    sys.exit(77)

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"

DOCS = {
    "Vertraege/mietvertrag.txt": "date 2024-03-01\n\nMietvertrag Wohnung Lindenstraße\n\n"
    "Die Kündigung des Mietvertrags ist schriftlich einzureichen. Die Kaution "
    "beträgt drei Monatsmieten.\n",
    "Vertraege/handy.md": "date 2023-06-12\n\n# Handyvertrag\n\nKündigungen des Handyvertrags "
    "gelten zum Monatsende. Eine <script>alert('x')</script> Kündigung per E-Mail genügt.\n",
    "Vertraege/alt/strom.txt": "date 2023-01-20\n\nStromvertrag\n\nDie Kündigung des "
    "Stromvertrags erfolgte fristgerecht.\n",
    "Rezepte/espresso.md": "date 2024-08-05\n\n# Espresso\n\nEspresso mit Milchschaum: "
    "Bohnen frisch mahlen.\n",
}


def wait(driver, cond, what, timeout=10):
    """Waits until cond(driver) is true; fails naming what."""
    try:
        return WebDriverWait(driver, timeout).until(cond)
    except Exception as e:  # selenium's TimeoutException
        raise AssertionError(f"timed out waiting for {what}") from e


def start_server(exe, conf, home):
    """Starts `fundgrube serve` on a free port; returns (process, URL)."""
    env = dict(os.environ, HOME=home)
    for k in ("FUNDGRUBE_CONFIG", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        env.pop(k, None)
    proc = subprocess.Popen([exe, "serve", "--config", conf, "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, env=env, text=True)
    line = proc.stdout.readline().strip()
    assert line.startswith("Fundgrube: "), f"server said: {line!r}"
    return proc, line[len("Fundgrube: "):]


def hits(driver):
    """The result list's items."""
    return driver.find_elements(By.CSS_SELECTOR, "#hits li.hit")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--artefacts", required=True)
    args = ap.parse_args()
    if not (os.access(CHROMIUM, os.X_OK) and os.access(DRIVER, os.X_OK)):
        print("SKIP: chromium or chromium-driver is not installed", file=sys.stderr)
        return 77
    os.makedirs(args.artefacts, exist_ok=True)
    exe = os.path.join(args.build, "cli", "fundgrube")
    tmp = tempfile.mkdtemp(prefix="fgbrowser.")
    proc = driver = None
    try:
        docs = os.path.join(tmp, "docs")
        for name, text in DOCS.items():
            path = os.path.join(docs, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        conf = os.path.join(tmp, "fg.conf")
        with open(conf, "w") as f:
            f.write(f"[index]\npath = {tmp}/index\n[watch]\nfolder = {docs}\n[web]\nthreads = 2\n")
        env = dict(os.environ, HOME=tmp)
        subprocess.run([exe, "index", "--config", conf, docs], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        proc, url = start_server(exe, conf, tmp)

        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=1400,1000", "--lang=de-DE"):
            opts.add_argument(a)
        driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
        shot = lambda name: driver.save_screenshot(os.path.join(args.artefacts, name))

        # 1. a German query typed into the field: ranked hits with highlights
        driver.get(url)
        q = driver.find_element(By.ID, "q")
        q.send_keys("Kündigungen")
        wait(driver, lambda d: len(hits(d)) >= 3, "three hits for Kündigungen")
        marks = driver.find_elements(By.CSS_SELECTOR, "#hits .snippet mark")
        assert marks and any("Kündigung" in m.text for m in marks), "no highlighted Kündigung"
        assert not driver.find_elements(By.CSS_SELECTOR, "#hits script"), "a <script> was rendered"
        assert "Treffer" in driver.find_element(By.ID, "summary").text
        assert "Kündigungen" in driver.current_url or "K%C3%BCndigungen" in driver.current_url
        shot("01-hits.png")

        # 2. a facet as a filter: it shows in the query, the list is filtered
        before = len(hits(driver))
        year = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "button.facet[data-filter='date:2023']"),
                    "the facet Jahr 2023")
        year.click()
        wait(driver, lambda d: "date:2023" in d.find_element(By.ID, "q").get_attribute("value"),
             "the filter in the query")
        wait(driver, lambda d: 0 < len(hits(d)) < before, "a shorter list")
        metas = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#hits .meta")]
        assert all("2023" in m for m in metas), f"hits outside 2023: {metas}"
        shot("02-facet.png")

        # 3. "Meinten Sie": a misspelt word, the suggestion followed
        q.clear()
        q.send_keys("Mietvertrg")
        link = wait(driver, lambda d: d.find_element(By.ID, "did-you-mean-link")
                    if d.find_element(By.ID, "did-you-mean").is_displayed() else False,
                    "Meinten Sie")
        assert link.text == "Mietvertrag", link.text
        shot("03-meinten-sie.png")
        link.click()
        wait(driver, lambda d: d.find_element(By.ID, "q").get_attribute("value") == "Mietvertrag",
             "the suggestion in the field")
        wait(driver, lambda d: len(hits(d)) >= 1, "hits for Mietvertrag")

        # 4. the preview: Enter opens the first hit with the matches marked
        q.send_keys(Keys.ENTER)
        wait(driver, lambda d: d.find_element(By.ID, "preview").is_displayed(), "the preview")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#preview-text mark"),
             "marks in the preview")
        text = driver.find_element(By.ID, "preview-text").text
        assert "Kaution" in text, text
        assert driver.find_element(By.ID, "preview-raw").get_attribute("href").endswith("/raw")
        shot("04-preview.png")
        driver.find_element(By.ID, "preview-close").click()
        wait(driver, lambda d: not d.find_element(By.ID, "preview").is_displayed(), "closed")
        # the document with <script> is shown as text, never run
        q.clear()
        q.send_keys("Handyvertrag")
        first = lambda d: d.find_element(By.CSS_SELECTOR, "#hits li.hit .hit-title")
        wait(driver, lambda d: first(d).text == "Handyvertrag", "the Handyvertrag")
        first(driver).click()
        wait(driver, lambda d: "<script>alert('x')</script>" in d.find_element(By.ID, "preview-text").text,
             "the script shown as text")
        assert not driver.find_elements(By.CSS_SELECTOR, "#preview-text script")

        # 5. "Wie wird gesucht?": tokens, stems, compound parts
        driver.find_element(By.ID, "nav-analyze").click()
        area = wait(driver, lambda d: d.find_element(By.ID, "analyze-text"), "the analyze page")
        area.clear()
        area.send_keys("Partnerschaftsverträge der Bürger*innen")
        driver.find_element(By.CSS_SELECTOR, "#analyze-form button").click()
        wait(driver, lambda d: "Partnerschaftsverträge" in d.find_element(By.ID, "analyze-table").text
             and "vertrag" in d.find_element(By.ID, "analyze-table").text, "the parts of the compound")
        table = driver.find_element(By.ID, "analyze-table").text
        assert "bürger" in table, table
        assert driver.current_url.endswith("/analyze")
        shot("05-analyze.png")

        # 6. the status page
        driver.find_element(By.ID, "nav-status").click()
        wait(driver, lambda d: "Dokumente" in d.find_element(By.ID, "status-list").text, "the status")
        status = driver.find_element(By.ID, "status-list").text
        assert "4" in status and "läuft nicht" in status, status
        shot("06-status.png")

        # the browser logged no errors (CSP violations included)
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        assert not errors, errors
        print(f"ok: screenshots in {args.artefacts}")
        return 0
    finally:
        if driver:
            driver.quit()
        if proc:
            proc.send_signal(signal.SIGTERM)
            rc = proc.wait(timeout=10)
            if rc != 0:
                print(f"fundgrube serve exited with {rc}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
