using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace OrderActors.IntegrationTests.Support;

/// <summary>
/// A real headless Chromium driven by Selenium through Debian's <c>chromium</c> and <c>chromium-driver</c> (test.sh
/// installs them); nothing downloaded at run time. Screenshots go beside the test output (<c>screenshots/</c>), and
/// also to <c>ORDERACTORS_SCREENSHOTS</c> when it names a folder (how docs/images is refreshed).
/// </summary>
public sealed class Browser : IDisposable
{
    private readonly ChromeDriver _driver;

    public Browser(int width = 1366, int height = 768)
    {
        var driver = Find("chromedriver", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
                     ?? throw new InvalidOperationException("chromium-driver is not installed (Debian: apt-get install chromium chromium-driver); test.sh does it");
        var chromium = Find("chromium", "/usr/bin/chromium", "/usr/lib/chromium/chromium")
                       ?? throw new InvalidOperationException("chromium is not installed (Debian: apt-get install chromium)");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--window-size={width},{height}",
            "--no-first-run", "--disable-extensions");
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public IWebDriver Driver => _driver;

    public void Open(Uri url) => _driver.Navigate().GoToUrl(url);

    // The page redraws its panels every 2 s: an element found now may be gone by the next call, so reads and clicks
    // are one script each, on the page as it is at that moment.

    public string Text(string css) => (string?)_driver.ExecuteScript("return document.querySelector(arguments[0])?.innerText ?? ''", css) ?? "";

    public int Count(string css) => Convert.ToInt32(_driver.ExecuteScript("return document.querySelectorAll(arguments[0]).length", css));

    public string? Attribute(string css, string name) =>
        (string?)_driver.ExecuteScript("return document.querySelector(arguments[0])?.getAttribute(arguments[1]) ?? null", css, name);

    public void Click(string css) => _driver.ExecuteScript("document.querySelector(arguments[0]).click()", css);

    public void Type(string css, string text)
    {
        var element = _driver.FindElement(By.CssSelector(css));
        element.Clear();
        element.SendKeys(text);
    }

    public object? Script(string js) => _driver.ExecuteScript(js);

    public void Resize(int width, int height) => _driver.Manage().Window.Size = new System.Drawing.Size(width, height);

    /// <summary>Saves a screenshot as <paramref name="name"/>.png (with <paramref name="showing"/> scrolled into view); returns where.</summary>
    public string Screenshot(string name, string? showing = null)
    {
        if (showing is not null) _driver.ExecuteScript("const e = document.querySelector(arguments[0]); (e.closest('section') ?? e).scrollIntoView({block: 'start'})", showing);
        var shot = ((ITakesScreenshot)_driver).GetScreenshot();
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        shot.SaveAsFile(path);
        if (Environment.GetEnvironmentVariable("ORDERACTORS_SCREENSHOTS") is { Length: > 0 } docs && Directory.Exists(docs))
            File.Copy(path, Path.Combine(docs, name + ".png"), overwrite: true);
        return path;
    }

    private static string? Find(string name, params string[] paths) => paths.FirstOrDefault(File.Exists);

    public void Dispose() => _driver.Quit();
}
